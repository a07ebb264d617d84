using System.Management.Automation;
using System.Text.RegularExpressions;

namespace AstronetesWorkloadIdentity.Tests.Infrastructure;

/// <summary>
/// An error's message says what is wrong; its RecommendedAction says what to do. Every error a cmdlet test provokes
/// (ModuleRunspace.Run) goes through <see cref="AssertNotRepeated"/>, so a message that also states the fix fails the test.
/// </summary>
public static partial class ErrorAdvice
{
    /// <summary>Words in a row that, found in both, mean the advice was written twice.</summary>
    public const int RepeatedWords = 5;

    public static void AssertNotRepeated(ErrorRecord error)
    {
        string message = error.ErrorDetails?.Message ?? error.Exception.Message;
        string? repeated = Repetition(message, error.ErrorDetails?.RecommendedAction);
        if (repeated != null)
        {
            Assert.Fail(error.FullyQualifiedErrorId + " states its recommended action in its message too (\"" + repeated + "\").\nMessage: " + message
                        + "\nRecommendedAction: " + error.ErrorDetails!.RecommendedAction);
        }
    }

    /// <summary>
    /// The first <see cref="RepeatedWords"/> words of the advice, in a row, that the message also has; null when none.
    /// Resource IDs and URLs are left out: naming the same resource in both is not repeating the fix.
    /// </summary>
    public static string? Repetition(string message, string? advice)
    {
        if (string.IsNullOrWhiteSpace(advice)) return null;
        string messageWords = " " + string.Join(" ", Words(message)) + " ";
        string[] adviceWords = Words(advice).ToArray();
        for (int i = 0; i + RepeatedWords <= adviceWords.Length; i++)
        {
            string run = string.Join(" ", adviceWords, i, RepeatedWords);
            if (messageWords.Contains(" " + run + " ", StringComparison.Ordinal)) return run;
        }

        return null;
    }

    private static IEnumerable<string> Words(string text) => text
        .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
        .Where(chunk => !chunk.Contains('/'))
        .SelectMany(chunk => WordPattern().Matches(chunk.ToLowerInvariant()).Select(m => m.Value));

    [GeneratedRegex(@"[\p{L}\p{N}$\-]+")]
    private static partial Regex WordPattern();
}
