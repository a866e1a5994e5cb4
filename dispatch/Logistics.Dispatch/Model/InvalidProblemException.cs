namespace Logistics.Dispatch.Model;

/// <summary>Bad input to the solver, with every problem found listed in the message.</summary>
public sealed class InvalidProblemException : Exception
{
    public InvalidProblemException()
    {
        Problems = [];
    }

    public InvalidProblemException(string message)
        : base(message)
    {
        Problems = [message];
    }

    public InvalidProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public InvalidProblemException(IReadOnlyList<string> problems)
        : base("Invalid problem: " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
