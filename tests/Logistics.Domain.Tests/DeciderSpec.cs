namespace Logistics.Domain.Tests;

/// <summary>
/// Given past events, when a command is decided, then these events (or this refusal). The events are folded with
/// the aggregate's own Evolve, so every test also exercises Evolve on its history.
/// </summary>
public sealed class DeciderSpec<TState, TCommand, TEvent>(
    Func<TCommand, TState, TEvent[]> decide,
    Func<TState, TEvent, TState> evolve,
    TState initial)
{
    private TState _state = initial;
    private TCommand? _command;

    public TState State => _state;

    public DeciderSpec<TState, TCommand, TEvent> Given(params TEvent[] history)
    {
        _state = history.Aggregate(_state, evolve);
        return this;
    }

    public DeciderSpec<TState, TCommand, TEvent> When(TCommand command)
    {
        _command = command;
        return this;
    }

    /// <summary>Asserts the decided events, in order; no arguments asserts that nothing happens (an idempotent repeat).</summary>
    public TEvent[] Then(params TEvent[] expected)
    {
        var actual = Decide();
        Assert.Equal(expected, actual);
        return actual;
    }

    /// <summary>Asserts a refusal with this code and returns it for checks on the message.</summary>
    public DomainRuleViolation ThenRefused(string code)
    {
        var refusal = Assert.Throws<DomainRuleViolation>(() => Decide());
        Assert.Equal(code, refusal.Code);
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message));
        return refusal;
    }

    /// <summary>The state after the decided events.</summary>
    public TState ThenState() => Decide().Aggregate(_state, evolve);

    private TEvent[] Decide() =>
        decide(_command ?? throw new InvalidOperationException("A spec needs a When(command)."), _state);
}
