using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Logistics.Perf.Federation;

/// <summary>
/// The day's callers over one connection pool: every request carries its caller's key, at most <c>clients</c> are under
/// way at once, and each is timed under its endpoint's name (the route template, not the ids).
/// </summary>
internal sealed class DayClient(Uri baseAddress, int clients, Latencies latencies) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(2),
    };

    private readonly SemaphoreSlim _gate = new(clients, clients);

    /// <summary>Requests sent again after a 409 concurrency conflict (two couriers at one locker at the same moment), as a courier's app would.</summary>
    public int Retried => _retried;

    private int _retried;

    /// <summary>Sends a request; answers its JSON (an empty object for no content), or null when the answer is not 2xx (counted as a failure).</summary>
    public async Task<JsonElement?> SendAsync(string endpoint, HttpMethod method, string path, string key, object? body = null, bool expected404 = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (answer, conflict) = await SendOnceAsync(endpoint, method, path, key, body, expected404, lastAttempt: attempt == 3);
            if (!conflict)
            {
                return answer;
            }

            Interlocked.Increment(ref _retried);
            await Task.Delay(20 * attempt);
        }
    }

    private async Task<(JsonElement? Answer, bool Conflict)> SendOnceAsync(string endpoint, HttpMethod method, string path, string key, object? body, bool expected404, bool lastAttempt)
    {
        await _gate.WaitAsync();
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            latencies.Add(endpoint, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                if (!lastAttempt && response.StatusCode == System.Net.HttpStatusCode.Conflict && text.Contains("concurrency-conflict", StringComparison.Ordinal))
                {
                    return (null, true);
                }

                if (!(expected404 && response.StatusCode == System.Net.HttpStatusCode.NotFound))
                {
                    latencies.Fail(endpoint);
                    Failed?.Invoke($"{endpoint}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                }

                return (null, false);
            }

            return (text.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement.Clone(), false);
        }
        catch (HttpRequestException e)
        {
            latencies.Fail(endpoint);
            Failed?.Invoke($"{endpoint}: {e.Message}");
            return (null, false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A plain-text GET (the metrics scrape), untimed.</summary>
    public async Task<string> GetTextAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Told each failed request (the runner prints the first few).</summary>
    public event Action<string>? Failed;

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
