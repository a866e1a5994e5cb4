using Logistics.WebhookReceiver;

// dotnet run --project examples/Logistics.WebhookReceiver -- --urls http://127.0.0.1:5090
// with WEBHOOK_SECRET set to the whsec_… secret the network answered when the endpoint was added.
var secret = Environment.GetEnvironmentVariable("WEBHOOK_SECRET");
if (string.IsNullOrEmpty(secret))
{
    Console.Error.WriteLine("webhook-receiver: set WEBHOOK_SECRET to the endpoint's whsec_… secret");
    return 2;
}

var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapLogisticsWebhooks("/webhooks/logistics", () => secret, received =>
{
    var data = received.Data;
    Console.WriteLine($"{received.Timestamp:u} {received.Type}: parcel {data.GetProperty("trackingId").GetString()} (order {data.GetProperty("reference")}) is {data.GetProperty("status").GetString()}");
    return Task.CompletedTask;
});
await app.RunAsync();
return 0;
