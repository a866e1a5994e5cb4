namespace Logistics.Domain;

// Ids are chosen outside the domain (the API generates them) and only carried here.

public readonly record struct ParcelId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct ShopId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct LockerId(string Value)
{
    public override string ToString() => Value;
}

public readonly record struct CourierId(string Value)
{
    public override string ToString() => Value;
}

/// <summary>A recipient: the key under which their personal data is encrypted and erased.</summary>
public readonly record struct PersonId(string Value)
{
    public override string ToString() => Value;
}
