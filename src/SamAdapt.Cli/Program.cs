using SamAdapt.Cli;

return CliApp.BuildRoot().Parse(args).Invoke();
