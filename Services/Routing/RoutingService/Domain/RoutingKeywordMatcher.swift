import Synchronization

/// How a keyword list (transfer keywords, exit keywords, end phrases) matches a visitor message.
public enum KeywordMatchMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// The whole message, after trimming punctuation and symbols at both ends, is one of the keywords:
    /// "转人工！" matches 转人工, "我不需要人工" and "人工智能是什么" do not match 人工. The default.
    case wholeMessage = "whole_message"
    /// The message contains one of the keywords anywhere: "我要人工" matches 人工 (and so does "我不需要人工").
    case contains
}

/// Decides whether a visitor message "is" a keyword (transfer, exit, end phrase).
///
/// Both sides are normalized: whitespace removed (so "转人工 " and "转 人工" count), full-width ASCII folded to
/// half-width and Latin letters lowercased. Then the list's ``KeywordMatchMode`` decides: the whole message
/// without leading and trailing punctuation and symbols equals a keyword (default), or contains one.
public enum RoutingKeywordMatcher {
    /// `true` if `text` matches any of `keywords` in `mode`; empty keywords never match.
    public static func matches(_ text: String, keywords: [String], mode: KeywordMatchMode = .wholeMessage) -> Bool {
        guard !keywords.isEmpty else { return false }
        let message = trimmingPunctuation(normalize(text))
        guard !message.isEmpty else { return false }
        return keywords.contains { keyword in
            let normalized = normalizedKeyword(keyword)
            guard !normalized.isEmpty else { return false }
            switch mode {
            case .wholeMessage: return message == normalized
            case .contains: return message.contains(normalized)
            }
        }
    }

    /// Keywords in the form they are compared in, kept: the same few keywords are compared with every message.
    private static let keywordCache = Mutex<[String: String]>([:])

    /// `trimmingPunctuation(normalize(keyword))`, from ``keywordCache`` (emptied when it grows past 4,096).
    static func normalizedKeyword(_ keyword: String) -> String {
        if let known = keywordCache.withLock({ $0[keyword] }) { return known }
        let normalized = trimmingPunctuation(normalize(keyword))
        keywordCache.withLock { cache in
            if cache.count >= 4_096 { cache.removeAll() }
            cache[keyword] = normalized
        }
        return normalized
    }

    /// Normalized form used for comparison.
    static func normalize(_ text: String) -> String {
        String(RoutingTextFolding.foldedString(text).filter { !$0.isWhitespace })
    }

    /// `text` without punctuation and symbols (！？。~、emoji…) at either end.
    static func trimmingPunctuation(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, isTrimmable(first) { slice.removeFirst() }
        while let last = slice.last, isTrimmable(last) { slice.removeLast() }
        return String(slice)
    }

    private static func isTrimmable(_ character: Character) -> Bool {
        character.isPunctuation || character.isSymbol || character.isWhitespace
    }
}

extension RoutingSettings {
    /// `true` if `text` asks for a human agent on `channel` (uses `channel(_:)` fallback).
    public func matchesTransferKeyword(_ text: String, channel name: String) -> Bool {
        let settings = channel(name)
        return RoutingKeywordMatcher.matches(text, keywords: settings.transferKeywords, mode: settings.transferKeywordsMatch)
    }

    /// `true` if `text` asks to leave the queue.
    public func matchesExitKeyword(_ text: String) -> Bool {
        RoutingKeywordMatcher.matches(text, keywords: queue.exitKeywords, mode: queue.exitKeywordsMatch)
    }

    /// `true` if `text` asks to end the human session.
    public func matchesEndPhrase(_ text: String) -> Bool {
        RoutingKeywordMatcher.matches(text, keywords: session.endPhrases, mode: session.endPhrasesMatch)
    }
}
