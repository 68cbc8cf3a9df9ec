using System.CommandLine;

var root = new RootCommand("samadapt: Segment Anything in ML.NET, and encoder adaptation (Straka).");
return root.Parse(args).Invoke();
