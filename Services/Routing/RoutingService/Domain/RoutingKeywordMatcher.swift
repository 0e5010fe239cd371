/// Decides whether a visitor message "is" a keyword (transfer, exit, end phrase).
///
/// Both sides are normalized: whitespace removed (so "转人工 " and "转 人工" count),
/// full-width ASCII folded to half-width and Latin letters lowercased. A message
/// matches a keyword when the normalized message equals it, or when the normalized
/// message has at most `shortMessageLimit` characters and contains it (so "转人工！"
/// and "我要人工" match "人工", while a long sentence that merely mentions 人工 does not).
public enum RoutingKeywordMatcher {
    /// Longest normalized message, in characters, that may match by containment.
    public static let shortMessageLimit = 10

    /// `true` if `text` matches any of `keywords`; empty keywords never match.
    public static func matches(_ text: String, keywords: [String]) -> Bool {
        let message = normalize(text)
        guard !message.isEmpty else { return false }
        let isShort = message.count <= shortMessageLimit
        return keywords.contains { keyword in
            let normalized = normalize(keyword)
            guard !normalized.isEmpty else { return false }
            return message == normalized || (isShort && message.contains(normalized))
        }
    }

    /// Normalized form used for comparison.
    static func normalize(_ text: String) -> String {
        String(RoutingTextFolding.foldedString(text).filter { !$0.isWhitespace })
    }
}

extension RoutingSettings {
    /// `true` if `text` asks for a human agent on `channel` (uses `channel(_:)` fallback).
    public func matchesTransferKeyword(_ text: String, channel name: String) -> Bool {
        RoutingKeywordMatcher.matches(text, keywords: channel(name).transferKeywords)
    }

    /// `true` if `text` asks to leave the queue.
    public func matchesExitKeyword(_ text: String) -> Bool {
        RoutingKeywordMatcher.matches(text, keywords: queue.exitKeywords)
    }

    /// `true` if `text` asks to end the human session.
    public func matchesEndPhrase(_ text: String) -> Bool {
        RoutingKeywordMatcher.matches(text, keywords: session.endPhrases)
    }
}
