namespace ArmEmulator;

/// <summary>
/// In-process tests make drift that ARM's API cannot (a cluster re-created under a new issuer, a feature turned off)
/// by editing the state under the same lock the route handlers take.
/// </summary>
public static class StateEdits
{
    public static void EditState(this EmulatorServer server, Action<EmulatorState> edit)
    {
        var store = server.Runtime.Store;
        lock (store.Gate) edit(store.Current);
    }
}
