using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>
/// A host program for tests: it keeps every line written to it (where "What if:" lines go) and answers -Confirm prompts as
/// a user would, remembering each question; without an answer function a prompt fails the test.
/// <see cref="WithoutUserInterface"/> offers no user interface at all, as some automation hosts do.
/// </summary>
internal sealed class ScriptedHost : PSHost
{
    private readonly ScriptedUserInterface? ui;

    /// <param name="answerYes">Given the prompt's message, true answers Yes, false answers No; null refuses to be asked.</param>
    public ScriptedHost(Func<string, bool>? answerYes = null) : this(new ScriptedUserInterface(answerYes), nameof(ScriptedHost))
    {
    }

    private ScriptedHost(ScriptedUserInterface? ui, string name)
    {
        this.ui = ui;
        Name = name;
    }

    public static ScriptedHost WithoutUserInterface() => new(null, "HostWithoutUserInterface");

    /// <summary>Every line written to the host, in order.</summary>
    public IReadOnlyList<string> Lines => ui?.Lines ?? Array.Empty<string>();

    public IReadOnlyList<string> WhatIfLines => Lines.Where(l => l.StartsWith("What if:", StringComparison.Ordinal)).ToList();

    /// <summary>The message of every prompt, in order.</summary>
    public IReadOnlyList<string> Prompts => ui?.Prompts ?? Array.Empty<string>();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name { get; }
    public override PSHostUserInterface UI => ui!;
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class ScriptedUserInterface(Func<string, bool>? answerYes) : PSHostUserInterface
    {
        private readonly List<string> lines = new();
        private readonly List<string> prompts = new();

        public IReadOnlyList<string> Lines => lines;
        public IReadOnlyList<string> Prompts => prompts;
        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (answerYes == null) throw new InvalidOperationException("Unexpected prompt: " + message);
            prompts.Add(message);
            string wanted = answerYes(message) ? "&Yes" : "&No";
            for (int i = 0; i < choices.Count; i++)
            {
                if (choices[i].Label == wanted) return i;
            }

            throw new InvalidOperationException("No choice " + wanted + " in: " + string.Join(", ", choices.Select(c => c.Label)));
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override string ReadLine() => throw new NotSupportedException();
        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
        public override void Write(string value) => lines.Add(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => lines.Add(value);
        public override void WriteDebugLine(string message) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteLine(string value) => lines.Add(value);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
