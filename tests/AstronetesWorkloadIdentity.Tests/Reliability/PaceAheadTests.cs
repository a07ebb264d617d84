using AstronetesWorkloadIdentity.Engine;
using AstronetesWorkloadIdentity.Tests.Infrastructure;

namespace AstronetesWorkloadIdentity.Tests.Reliability;

/// <summary>
/// ARM's read bucket (250, refilled 25/s) on an emulator of its own at Azure's speed: more reads than the bucket holds,
/// eight at a time, all answered without one 429, because the remaining-quota headers set the pace before the bucket ran dry.
/// </summary>
public sealed class PaceAheadTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Reads_beyond_the_bucket_are_paced_from_the_quota_headers_without_meeting_a_429()
    {
        emulator.Reset();
        using var connection = emulator.CreateDeployerConnection();
        var client = connection.CreateClient();
        var reads = (int)PublishedLimits.ArmReads.Capacity + 50;
        using var gate = new SemaphoreSlim(8);

        await Task.WhenAll(Enumerable.Range(0, reads).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                await client.GetResourceGroupAsync(emulator.SubscriptionId, emulator.ResourceGroup, default);
            }
            finally
            {
                gate.Release();
            }
        }));

        var answered = emulator.ArmRequests();
        Assert.Equal(reads, answered.Count(r => r.Status == 200));
        Assert.DoesNotContain(answered, r => r.Status == 429);
    }
}
