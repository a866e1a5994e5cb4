Console.Error.WriteLine("The locker host is not wired yet: see lockers/README.md.");
return 2;
