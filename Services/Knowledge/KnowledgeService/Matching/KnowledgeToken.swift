/// The kind of a token produced by ``KnowledgeTokenizer``; each kind carries its own scoring weight.
public enum KnowledgeTokenKind: UInt8, Sendable, CaseIterable {
    /// A single CJK character.
    case cjkUnigram
    /// Two adjacent CJK characters.
    case cjkBigram
    /// A run of letters (Latin, Cyrillic, …), lower-cased.
    case word
    /// A run of decimal digits.
    case number
}

/// One token of normalized text.
public struct KnowledgeToken: Hashable, Sendable {
    /// The token text, already normalized.
    public let text: String
    /// The token kind.
    public let kind: KnowledgeTokenKind

    /// Creates a token.
    public init(_ text: String, kind: KnowledgeTokenKind) {
        self.text = text
        self.kind = kind
    }
}
