using Logistics.Application.Refusals;
using Logistics.Domain;
using Logistics.Domain.Parcels;
using Logistics.EventStore.PersonalData;
using Npgsql;

namespace Logistics.Application.Parcels;

/// <summary>
/// A proof as the courier's page sends it: a photo (JPEG or PNG, base64), and/or the name of the person who took the
/// parcel with their signature (a PNG drawn on the page, base64).
/// </summary>
public sealed record ProofInput(string? Photo, string? Signature, string? SignedBy);

/// <summary>A proof kept for a parcel, as its shop and the operators see it; the images are fetched from their links.</summary>
public sealed record ProofView(string ProofId, string Kind, DateTimeOffset At, bool Erased, string? PhotoUrl, string? SignatureUrl, string? SignedBy);

/// <summary>
/// Proofs of delivery (and photos of failed deliveries), kept in <c>delivery_proofs</c> sealed with the recipient's
/// key, one row per proof, written in the same transaction as the event that names it (<see cref="DeliveryProof"/>):
/// a proof is never kept for a delivery that was not recorded, and a retried request, whose event is not appended
/// again, keeps nothing twice. Images stay out of the event stream (a stream is read whole at every command); the
/// recipient's erasure deletes the key, so the rows remain but read as erased.
/// </summary>
public sealed class DeliveryProofs(PersonalDataSealer sealer, NpgsqlDataSource dataSource)
{
    /// <summary>Bytes of a photo (the page sends ≤ 300 kB JPEGs of ≤ 1280 px; this leaves room for a PNG).</summary>
    public const int PhotoBytes = 512 * 1024;

    /// <summary>Bytes of a signature's PNG.</summary>
    public const int SignatureBytes = 128 * 1024;

    public const string TooLargeCode = "validation.proof-too-large";
    public const string NotAnImageCode = "validation.proof-not-an-image";
    public const string MissingCode = "validation.proof-missing";

    public const string Delivered = "delivered";
    public const string Failed = "failed";

    /// <summary>A proof's images, decoded and checked, ready to be sealed.</summary>
    public sealed record Parts(byte[]? Photo, string? PhotoType, byte[]? Signature, string? SignedBy)
    {
        public DeliveryProof Describe(string id) => new(id, Photo is not null, Signature is not null);
    }

    /// <summary>
    /// Checks a proof: a JPEG or PNG photo within <see cref="PhotoBytes"/>, a signature only with the signer's name
    /// and as a PNG within <see cref="SignatureBytes"/>; a failed delivery keeps a photo only. Null when none was sent.
    /// </summary>
    public static Parts? Check(ProofInput? input, bool failure)
    {
        if (input is null || (input.Photo is null && input.Signature is null && input.SignedBy is null))
        {
            return null;
        }

        var v = new Validation();
        var photo = Decode(input.Photo, "proof.photo", PhotoBytes, v);
        var photoType = photo is null ? null : TypeOf(photo);
        v.Require(photo is null || photoType is not null, "proof.photo", NotAnImageCode, "The photo is a JPEG or PNG image.");
        var signature = Decode(input.Signature, "proof.signature", SignatureBytes, v);
        v.Require(signature is null || TypeOf(signature) == "image/png", "proof.signature", NotAnImageCode, "The signature is a PNG image.");
        var name = string.IsNullOrWhiteSpace(input.SignedBy) ? null : input.SignedBy.Trim();
        v.MaxLength(name, "proof.signedBy", InputLimits.Name);
        if (failure)
        {
            v.Require(signature is null && name is null, "proof.signature", InputLimits.OutOfRangeCode, "A failed delivery keeps a photo only: nobody took the parcel.");
            v.Require(input.Photo is not null, "proof.photo", MissingCode, "A photo of the door is needed.");
        }
        else
        {
            v.Require((signature is null) == (name is null), signature is null ? "proof.signature" : "proof.signedBy", MissingCode, "A signature goes with the name of who signed.");
        }

        v.ThrowIfAny();
        return new Parts(photo, photoType, signature, name);
    }

    /// <summary>Keeps a proof sealed for <paramref name="person"/>, inside the transaction that appends its event.</summary>
    public async Task StoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string proofId, ParcelId parcel, PersonId person, string kind, Parts parts, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            insert into delivery_proofs (proof_id, parcel_id, person_id, kind, recorded_at, photo_type, photo, signature, signed_by)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (proof_id) do nothing
            """,
            connection,
            transaction);
        byte[]? Seal(byte[]? plain) => plain is null ? null : sealer.Seal(person.Value, plain);
        foreach (var value in new object?[]
        {
            proofId, parcel.Value, person.Value, kind, at, parts.PhotoType, Seal(parts.Photo), Seal(parts.Signature),
            Seal(parts.SignedBy is null ? null : System.Text.Encoding.UTF8.GetBytes(parts.SignedBy)),
        })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The proofs kept for a parcel, oldest first; those of an erased recipient say so and link nothing.</summary>
    public async Task<IReadOnlyList<ProofView>> OfParcelAsync(ParcelId parcel, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select proof_id, kind, recorded_at, person_id, photo is not null, signature is not null, signed_by from delivery_proofs where parcel_id = $1 order by recorded_at, proof_id");
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        var proofs = new List<ProofView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (id, person) = (reader.GetString(0), reader.GetString(3));
            var erased = sealer.Keys.Find(person) is null;
            var name = erased || reader.IsDBNull(6) ? null : sealer.Unseal(person, reader.GetFieldValue<byte[]>(6)) is { } plain ? System.Text.Encoding.UTF8.GetString(plain) : null;
            var link = $"/api/parcels/{Uri.EscapeDataString(parcel.Value)}/proofs/{id}";
            proofs.Add(new ProofView(
                id, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), erased,
                !erased && reader.GetBoolean(4) ? link + "/photo" : null,
                !erased && reader.GetBoolean(5) ? link + "/signature" : null,
                name));
        }

        return proofs;
    }

    /// <summary>
    /// One image of a proof (<paramref name="part"/> is <c>photo</c> or <c>signature</c>) and its media type. Not found
    /// when the parcel has no such proof or part; gone once the recipient was erased.
    /// </summary>
    public async Task<(byte[] Bytes, string MediaType)> ImageAsync(ParcelId parcel, string proofId, string part, CancellationToken cancellationToken)
    {
        var column = part switch
        {
            "photo" => "photo",
            "signature" => "signature",
            _ => throw Refusal.NotFound($"A proof has a photo or a signature, not a {part}."),
        };
        await using var command = dataSource.CreateCommand($"select person_id, {column}, photo_type from delivery_proofs where parcel_id = $1 and proof_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = parcel.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = proofId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || reader.IsDBNull(1))
        {
            throw Refusal.NotFound($"Parcel {parcel} has no such proof {part}.");
        }

        var plain = sealer.Unseal(reader.GetString(0), reader.GetFieldValue<byte[]>(1))
            ?? throw new Refusal("proof.erased", RefusalKind.Gone, "Erased", "The recipient's personal data was erased on request, this proof with it.");
        return (plain, column == "photo" ? reader.GetString(2) : "image/png");
    }

    private static byte[]? Decode(string? base64, string field, int max, Validation v)
    {
        if (base64 is null)
        {
            return null;
        }

        // The base64 text of more than max bytes is refused before it is decoded.
        var text = base64.AsSpan().Trim();
        if (text.Length > ((max + 2) / 3 * 4) + 4)
        {
            v.Require(false, field, TooLargeCode, $"At most {max / 1024} kB.");
            return null;
        }

        var bytes = new byte[(text.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(text, bytes, out var length))
        {
            v.Require(false, field, NotAnImageCode, "Not an image (base64 expected).");
            return null;
        }

        v.Require(length <= max, field, TooLargeCode, $"At most {max / 1024} kB.");
        return length <= max ? bytes[..length] : null;
    }

    // What the first bytes say (JPEG's SOI marker, PNG's signature): a proof is one of the two, whatever it claims.
    private static string? TypeOf(ReadOnlySpan<byte> image) => image switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        _ => null,
    };
}
