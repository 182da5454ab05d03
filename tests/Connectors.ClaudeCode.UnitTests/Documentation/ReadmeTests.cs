// Copyright (c) Connectors.ClaudeCode contributors. Licensed under the MIT License.

using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Connectors.ClaudeCode.UnitTests.Documentation;

/// <summary>
/// Every C# block of the repository's README compiles against the library, so the README cannot drift from the API.
/// </summary>
/// <remarks>
/// Convention: each block is a whole program, as a reader would paste it into the <c>Program.cs</c> of a new console
/// app (<c>dotnet new console</c>: top-level statements, implicit usings, nullable on) that has the packages the
/// README's install section adds. A block therefore declares its own <c>using</c>s for the connector, SK and
/// Microsoft.Extensions.AI, and the variables it uses; types it needs go after its statements.
/// </remarks>
public sealed class ReadmeTests
{
    /// <summary>The README as the build copied it next to the tests.</summary>
    private static readonly Lazy<IReadOnlyList<MarkdownCodeBlock>> Blocks =
        new(() => MarkdownCodeBlocks.ExtractCSharp(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"))));

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(LoadReferences);

    /// <summary>What the SDK's implicit usings give a console app (Microsoft.NET.Sdk).</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    /// <summary>The line of each C# block's opening fence: one test case per block, named by where it is.</summary>
    public static TheoryData<int> BlockLines => new(Blocks.Value.Select(b => b.Line));

    [Theory]
    [MemberData(nameof(BlockLines))]
    public void TheReadmeCSharpBlockAtThisLineCompiles(int line)
    {
        var block = Blocks.Value.Single(b => b.Line == line);

        var errors = CompileErrors(block.Code, block.Line);

        Assert.True(
            errors.Count == 0,
            $"The C# block at README.md line {line} does not compile as a program of its own:{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
    }

    [Fact]
    public void ABrokenBlockFailsWithItsReadmeLine()
    {
        // The check above is only as good as the compilation: a typo must be an error that points into the README.
        var errors = CompileErrors("using Microsoft.SemanticKernel.Connectors.ClaudeCode;\n\nvar options = new ClaudeCodeOptions { NoSuchOption = 1 };\n", line: 40);

        var error = Assert.Single(errors);
        Assert.Equal("CS0117", error.Id);
        Assert.Equal("README.md", error.Location.GetMappedLineSpan().Path);
        Assert.Equal(43, error.Location.GetMappedLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void OnlyCSharpBlocksAreTakenWithTheLineOfTheirFence()
    {
        const string Markdown = "# Title\n\n```bash\n./build.sh test\n```\n\n```csharp\nvar a = 1;\n```\n\n  ```cs\nvar b = 2;\n  ```\n\n```\nplain\n```\n";

        var blocks = MarkdownCodeBlocks.ExtractCSharp(Markdown);

        Assert.Equal([new MarkdownCodeBlock(7, "var a = 1;\n"), new MarkdownCodeBlock(11, "var b = 2;\n")], blocks);
        Assert.Throws<FormatException>(() => MarkdownCodeBlocks.ExtractCSharp("```csharp\nvar a = 1;\n"));
    }

    /// <summary>
    /// Compiles <paramref name="code"/>, found at README.md's line <paramref name="line"/>, as the Program.cs of a
    /// console app and returns its errors, located at README.md lines.
    /// </summary>
    private static List<Diagnostic> CompileErrors(string code, int line)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Default);
        var program = CSharpSyntaxTree.ParseText($"#line {line + 1} \"README.md\"\n{code}", parseOptions, path: "Program.cs");
        var usings = CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, path: "GlobalUsings.g.cs");
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
            // The SDK passes /nowarn:1701,1702 too: assembly-version unification is not the snippet's business.
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["CS1701"] = ReportDiagnostic.Suppress, ["CS1702"] = ReportDiagnostic.Suppress });

        return CSharpCompilation.Create("ReadmeSnippet", [usings, program], References.Value, options)
            .GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToList();
    }

    /// <summary>
    /// The assemblies a reader's app compiles against: the .NET runtime this test runs on, and the connector and
    /// Semantic Kernel's Core with everything they reference (SK Abstractions, Microsoft.Extensions.AI, logging, DI…).
    /// Test tooling (xUnit, Moq, Roslyn itself) stays out, so a block cannot lean on it — except in the self-contained
    /// net8.0 run, where the runtime's directory is the tests' own; the net10.0 run is the strict one.
    /// </summary>
    private static List<MetadataReference> LoadReferences()
    {
        // The host may list an assembly twice (System.Private.CoreLib is); the first entry is the one it loads.
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .DistinctBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase);
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

        var paths = new HashSet<string>(trusted.Values.Where(p => Path.GetDirectoryName(p) == runtimeDirectory), StringComparer.Ordinal);
        var pending = new Queue<string>(["Connectors.ClaudeCode", "Microsoft.SemanticKernel.Core"]);
        while (pending.TryDequeue(out var name))
        {
            if (!trusted.TryGetValue(name, out var path) || !paths.Add(path))
            {
                continue;
            }

            using var pe = new PEReader(File.OpenRead(path));
            var metadata = pe.GetMetadataReader();
            foreach (var reference in metadata.AssemblyReferences)
            {
                pending.Enqueue(metadata.GetString(metadata.GetAssemblyReference(reference).Name));
            }
        }

        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
    }
}
