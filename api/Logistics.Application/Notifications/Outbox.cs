using System.Text.Json;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Npgsql;

namespace Logistics.Application.Notifications;

/// <summary>
/// Queues messages in the same transaction as the events that cause them, so a message is never lost nor sent
/// for something that did not happen. The address and text are sealed with the recipient's key.
/// </summary>
public sealed class Outbox(PersonalDataSealer sealer, TimeProvider clock)
{
    public async Task EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string kind, Recipient recipient, string parcelId,
        string subject, string text, CancellationToken cancellationToken = default)
    {
        var messages = new List<Message>();
        if (!string.IsNullOrWhiteSpace(recipient.Phone))
        {
            messages.Add(new Message(Channel.Sms, recipient.Phone, subject, text));
        }

        if (!string.IsNullOrWhiteSpace(recipient.Email))
        {
            messages.Add(new Message(Channel.Email, recipient.Email, subject, text));
        }

        foreach (var message in messages)
        {
            await using var command = new NpgsqlCommand(
                """
                insert into notification_outbox (id, created_at, kind, parcel_id, person_id, channel, sealed, next_attempt_at)
                values ($1, $2, $3, $4, $5, $6, $7, $2)
                """,
                connection,
                transaction);
            var now = clock.GetUtcNow();
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            command.Parameters.Add(new NpgsqlParameter { Value = now });
            command.Parameters.Add(new NpgsqlParameter { Value = kind });
            command.Parameters.Add(new NpgsqlParameter { Value = parcelId });
            command.Parameters.Add(new NpgsqlParameter { Value = recipient.Person.Value });
            command.Parameters.Add(new NpgsqlParameter { Value = message.Channel.ToString() });
            command.Parameters.Add(new NpgsqlParameter { Value = sealer.Seal(recipient.Person.Value, JsonSerializer.SerializeToUtf8Bytes(message)) });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
