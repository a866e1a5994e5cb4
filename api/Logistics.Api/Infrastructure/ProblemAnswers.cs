namespace Logistics.Api.Infrastructure;

/// <summary>
/// Declares, for the OpenAPI document, the refusals an endpoint's handler gives itself, as problem documents: 422 with
/// its field errors, the others as plain problems. Those every endpoint of its kind gives (401, 403, an impossible id,
/// an unreadable body, a POST's Idempotency-Key) are added from its metadata (Hosting/OpenApiOperations).
/// </summary>
public static class ProblemAnswers
{
    public static RouteHandlerBuilder Refuses(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder = status == StatusCodes.Status422UnprocessableEntity
                ? builder.ProducesValidationProblem(status)
                : builder.ProducesProblem(status);
        }

        return builder;
    }
}
