using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace SamAdapt.ServerTests;

/// <summary>The same server on Kestrel, bound to 127.0.0.1 on a random port (for the load test and the browser), with limits that fit the sample plant.</summary>
public sealed class LoopbackServerFactory : SegmentServerFactory
{
    /// <summary>Starts Kestrel on loopback.</summary>
    public LoopbackServerFactory()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SegmentServer:MaxBodyBytes", (2 * 1024 * 1024).ToString());
        builder.UseSetting("SegmentServer:MaxPixels", "1000000");
    }

    /// <summary>The server's address, http://127.0.0.1:port.</summary>
    public Uri Address { get; }
}
