/// The kind of a token produced by ``KnowledgeTokenizer``; each kind carries its own scoring weight.
public enum KnowledgeTokenKind: UInt8, Sendable, CaseIterable {
    /// A single CJK character.
    case cjkUnigram
    /// Two adjacent CJK characters that are not a word of the segmentation.
    case cjkBigram
    /// A word of two to four CJK characters found by dictionary segmentation.
    case cjkWord
    /// The pinyin of two adjacent CJK characters (`di_zhi`), so homophone typos (地止/地址) still match.
    case pinyin
    /// A run of letters (Latin, Cyrillic, …), lower-cased.
    case word
    /// A run of decimal digits.
    case number
    /// A Chinese word standing for an English word of the text (``KnowledgeEnglishLexicon``): matches the same
    /// word in Chinese text, with a reduced weight.
    case translation
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
