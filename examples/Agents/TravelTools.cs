// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.ComponentModel;

namespace Connectors.ClaudeCode.Examples.Agents;

/// <summary>The agent's tools: made-up forecasts, so the example gives the same answers every run.</summary>
internal static class TravelTools
{
    /// <summary>Next week's forecast for <paramref name="city"/>.</summary>
    [Description("Gets next week's weather forecast for a city")]
    public static string GetForecast([Description("The city's name, e.g. Kyoto")] string city)
        => city.Trim().ToUpperInvariant() switch
        {
            "KYOTO" => "Kyoto next week: light rain most days, 14-19°C",
            "REYKJAVIK" => "Reykjavik next week: wind and sleet, 1-4°C",
            _ => $"{city} next week: mild and dry, 18-24°C",
        };
}
