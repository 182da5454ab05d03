// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace Connectors.ClaudeCode.Examples.FunctionCalling;

/// <summary>A plugin Claude can call: made-up weather, so the example gives the same answers every run.</summary>
internal sealed class WeatherPlugin
{
    /// <summary>The current weather in <paramref name="city"/>.</summary>
    [KernelFunction("GetWeather")]
    [Description("Gets the current weather in a city")]
    public static string GetWeather([Description("The city's name, e.g. Paris")] string city)
        => city.Trim().ToUpperInvariant() switch
        {
            "PARIS" => "Paris: sunny, 21°C",
            "LIMA" => "Lima: overcast, 17°C",
            "OSLO" => "Oslo: light rain, 9°C",
            _ => $"{city}: clear, 15°C",
        };
}
