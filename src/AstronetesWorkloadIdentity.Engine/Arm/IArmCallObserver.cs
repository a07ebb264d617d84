namespace AstronetesWorkloadIdentity.Engine
{
    /// <summary>Told of every HTTP attempt, retries included; may be called on any thread.</summary>
    public interface IArmCallObserver
    {
        void OnCall(ArmCallRecord record);
    }
}
