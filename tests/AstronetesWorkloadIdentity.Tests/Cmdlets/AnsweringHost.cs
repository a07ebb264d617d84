using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace AstronetesWorkloadIdentity.Tests.Cmdlets;

/// <summary>A host that answers -Confirm prompts as a user would, and remembers each question it was asked.</summary>
internal sealed class AnsweringHost : PSHost
{
    private readonly AnsweringUserInterface ui;

    /// <param name="answerYes">Given the prompt's message, true answers Yes, false answers No.</param>
    public AnsweringHost(Func<string, bool> answerYes) => ui = new AnsweringUserInterface(answerYes);

    /// <summary>The message of every prompt, in order.</summary>
    public IReadOnlyList<string> Prompts => ui.Prompts;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override string Name => "AnsweringHost";
    public override PSHostUserInterface UI => ui;
    public override Version Version => new(1, 0);
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }
    public override void SetShouldExit(int exitCode) { }

    private sealed class AnsweringUserInterface : PSHostUserInterface
    {
        private readonly Func<string, bool> answerYes;
        private readonly List<string> prompts = new();

        public AnsweringUserInterface(Func<string, bool> answerYes) => this.answerYes = answerYes;

        public IReadOnlyList<string> Prompts => prompts;
        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
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
        public override void Write(string value) { }
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
        public override void WriteDebugLine(string message) { }
        public override void WriteErrorLine(string value) { }
        public override void WriteLine(string value) { }
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) { }
        public override void WriteWarningLine(string message) { }
    }
}
