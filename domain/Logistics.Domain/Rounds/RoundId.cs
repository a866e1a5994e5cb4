namespace Logistics.Domain.Rounds;

/// <summary>A courier's round; its stream is <c>round-{id}</c>.</summary>
public readonly record struct RoundId(string Value)
{
    public const string StreamPrefix = "round-";

    public string Stream => StreamPrefix + Value;

    public override string ToString() => Value;
}
