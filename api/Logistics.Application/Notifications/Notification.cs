namespace Logistics.Application.Notifications;

public enum Channel
{
    Sms,
    Email,
}

/// <summary>One message to one address.</summary>
public sealed record Message(Channel Channel, string To, string Subject, string Text);

/// <summary>Sends messages of one channel. Throws on failure: the outbox retries later.</summary>
public interface INotificationSender
{
    Channel Channel { get; }

    Task SendAsync(Message message, CancellationToken cancellationToken);
}
