Console.WriteLine("benchmarks placeholder");
