using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AstronetesWorkloadIdentity.Session
{
    /// <summary>
    /// The connection of each runspace. Hosts run several runspaces in one process (tests, ForEach-Object -Parallel,
    /// web hosts), so a static connection would leak one user's tenant into another's commands. Weakly keyed: a closed
    /// runspace takes its session with it.
    /// </summary>
    internal static class AgentSessionStore
    {
        private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new ConditionalWeakTable<Runspace, Slot>();

        // Only reached when a cmdlet runs outside any runspace (an unusual host); still better than failing.
        private static readonly Slot NoRunspaceSlot = new Slot();

        public static AgentSession? Get(Runspace? runspace)
        {
            Slot slot = SlotOf(runspace);
            lock (slot)
            {
                return slot.Session;
            }
        }

        public static AgentSession GetOrCreate(Runspace? runspace, Func<AgentSession> create)
        {
            Slot slot = SlotOf(runspace);
            lock (slot)
            {
                return slot.Session ?? (slot.Session = create());
            }
        }

        public static void Set(Runspace? runspace, AgentSession session)
        {
            Slot slot = SlotOf(runspace);
            AgentSession? previous;
            lock (slot)
            {
                previous = slot.Session;
                slot.Session = session;
            }

            previous?.Dispose();
        }

        public static AgentSession? Remove(Runspace? runspace)
        {
            Slot slot = SlotOf(runspace);
            AgentSession? previous;
            lock (slot)
            {
                previous = slot.Session;
                slot.Session = null;
            }

            previous?.Dispose();
            return previous;
        }

        private static Slot SlotOf(Runspace? runspace) => runspace == null ? NoRunspaceSlot : Slots.GetValue(runspace, _ => new Slot());

        private sealed class Slot
        {
            public AgentSession? Session;
        }
    }
}
