using System.Diagnostics;
using Logistics.Testing;

namespace Logistics.Api.Tests.Support;

/// <summary>
/// The Node.js tools pinned in tools/openapi (installed by .ci/test with npm ci): Redocly's linter, openapi-typescript,
/// TypeScript. A test that needs them fails, saying how to install them, when they are missing.
/// </summary>
public static class OpenApiTools
{
    public static string Root => Checkout.Root;

    public static string Folder => Path.Combine(Root, "tools", "openapi");

    /// <summary>A tool's script under node_modules (e.g. "typescript/bin/tsc"), checked to be installed.</summary>
    public static string Script(string relative)
    {
        var path = Path.Combine(Folder, "node_modules", relative);
        Assert.True(
            File.Exists(path),
            $"{relative} is not installed in tools/openapi: .ci/test installs it (npm ci there, with Node.js 20.19+ and npm on the PATH), or run: npm ci --prefix tools/openapi");
        return path;
    }

    /// <summary>Runs node with the arguments (in tools/openapi) and answers its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> NodeAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("node", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Folder,
        };
        // No telemetry nor update check: CI reaches no server but the package registries.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start: install Node.js 20.19 or later.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
