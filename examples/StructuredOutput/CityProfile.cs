// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System.Collections.Generic;
using System.ComponentModel;

namespace Connectors.ClaudeCode.Examples.StructuredOutput;

/// <summary>
/// What the example asks Claude for. Used as the <c>ResponseFormat</c>, it becomes the JSON schema Claude must answer
/// in; the descriptions travel in the schema and guide the model.
/// </summary>
/// <param name="City">The city's name.</param>
/// <param name="Country">The country it is in.</param>
/// <param name="Population">About how many people live there.</param>
/// <param name="Landmarks">A few sights a first-time visitor should not miss.</param>
/// <param name="BestMonthToVisit">The month with the most pleasant weather.</param>
internal sealed record CityProfile(
    string City,
    string Country,
    [property: Description("Approximate population of the city proper")] int Population,
    [property: Description("Three landmarks, most famous first")] IReadOnlyList<string> Landmarks,
    [property: Description("An English month name")] string BestMonthToVisit);
