namespace Resilience.Identity.Tests;

public class WorkloadIdentityMismatchExceptionTests
{
    private static readonly SpiffeId Expected = SpiffeId.Parse("spiffe://cluster.local/ns/default/sa/payments");

    [Fact]
    public void Constructor_OtherId_NamesBothIds()
    {
        SpiffeId presented = SpiffeId.Parse("spiffe://cluster.local/ns/default/sa/impostor");

        var exception = new WorkloadIdentityMismatchException(Expected, presented);

        exception.Message.Should().Be("The server presented the workload identity 'spiffe://cluster.local/ns/default/sa/impostor', but this client expects 'spiffe://cluster.local/ns/default/sa/payments'.");
        (exception.Expected, exception.Presented).Should().Be((Expected, presented));
    }

    [Fact]
    public void Constructor_NoPresentedId_SaysTheCertificateHasNone()
    {
        var exception = new WorkloadIdentityMismatchException(Expected, null);

        exception.Message.Should().Be("The server presented a certificate without a SPIFFE ID, but this client expects 'spiffe://cluster.local/ns/default/sa/payments'.");
        exception.Expected.Should().BeSameAs(Expected);
        exception.Presented.Should().BeNull();
    }

    [Fact]
    public void Constructor_NullExpected_Throws()
    {
        Action act = () => _ = new WorkloadIdentityMismatchException(null!, null);

        act.Should().Throw<ArgumentNullException>();
    }
}
