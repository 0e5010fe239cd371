import Foundation

/// An admin segmentation word (词库): 2–4 Chinese characters, normalized (traditional folded to simplified),
/// with an optional jieba-style frequency (``KnowledgeLanguage/defaultWordFrequency`` when absent).
struct DomainWord: Sendable, Equatable {
    var word: String
    var frequency: Int?
}

/// An admin synonym group (同义词): every variant is rewritten to the canonical word before matching.
struct SynonymGroup: Sendable, Equatable {
    var canonical: String
    var variants: [String]

    /// The canonical word and the variants.
    var words: [String] { [canonical] + variants }
}

/// Why a word, a synonym group or a line of an import is refused.
enum LexiconRuleError: Error, Equatable, CustomStringConvertible {
    case notChinese(String)
    case wordLength(String)
    case wordFields(Int)
    case frequency(String)
    case emptyWord
    case synonymTooLong(String)
    case tooFewSynonyms
    case tooManyVariants(Int)
    case variantInsideCanonical(variant: String, canonical: String)

    var description: String {
        switch self {
        case .notChinese(let word): "'\(word)' is not a Chinese word (CJK characters only)"
        case .wordLength(let word): "'\(word)' must be \(LexiconRules.wordLengths.lowerBound)–\(LexiconRules.wordLengths.upperBound) characters"
        case .wordFields(let count): "expected 'word' or 'word frequency', got \(count) fields"
        case .frequency(let text): "frequency must be an integer from 1 to \(LexiconRules.maxFrequency), got '\(text)'"
        case .emptyWord: "a word is empty or made of punctuation only"
        case .synonymTooLong(let word): "'\(word)' is longer than \(LexiconRules.maxSynonymLength) characters"
        case .tooFewSynonyms: "expected a canonical word and at least one different variant, separated by spaces"
        case .tooManyVariants(let count): "a group holds at most \(LexiconRules.maxVariants) variants, got \(count)"
        case .variantInsideCanonical(let variant, let canonical):
            "variant '\(variant)' is part of the canonical word '\(canonical)' (the rewrite would never end)"
        }
    }
}

/// The rules of admin words and synonyms, shared by the queries and the imports (the same line formats as
/// the `KEFU_KNOWLEDGE_WORDS` / `KEFU_KNOWLEDGE_SYNONYMS` files).
enum LexiconRules {
    /// Characters of a segmentation word.
    static let wordLengths = 2...KnowledgeLanguage.maximumWordLength
    /// Largest frequency (jieba's most frequent words are below a million).
    static let maxFrequency = 100_000_000
    /// Characters of a synonym.
    static let maxSynonymLength = 20
    /// Variants per synonym group.
    static let maxVariants = 20
    /// Lines of an import file.
    static let maxImportLines = 10_000
    /// Bad lines listed in an import's answer (`error_count` has the total).
    static let maxReportedErrors = 100

    private static let normalizer = KnowledgeTextNormalizer.foldingTraditional

    /// A segmentation word, normalized.
    static func word(_ text: String) throws(LexiconRuleError) -> String {
        let word = normalizer.normalize(text)
        guard !word.isEmpty else { throw .emptyWord }
        let scalars = Array(word.unicodeScalars)
        guard scalars.allSatisfy(KnowledgeTokenizer.isCJK) else { throw .notChinese(text) }
        guard wordLengths.contains(scalars.count), KnowledgeLanguage.packed(scalars[...]) != nil else { throw .wordLength(text) }
        return word
    }

    /// A frequency, when given.
    static func frequency(_ value: Int?) throws(LexiconRuleError) -> Int? {
        guard let value else { return nil }
        guard (1...maxFrequency).contains(value) else { throw .frequency("\(value)") }
        return value
    }

    /// A word line: `word` or `word frequency`.
    static func wordLine(_ line: Substring) throws(LexiconRuleError) -> DomainWord {
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard (1...2).contains(fields.count) else { throw .wordFields(fields.count) }
        let word = try word(String(fields[0]))
        guard fields.count == 2 else { return DomainWord(word: word, frequency: nil) }
        guard let value = Int(fields[1]) else { throw .frequency(String(fields[1])) }
        return DomainWord(word: word, frequency: try frequency(value))
    }

    /// A synonym group from its words, the canonical one first; words are normalized, repeated variants dropped.
    static func group(_ words: [String]) throws(LexiconRuleError) -> SynonymGroup {
        var normalized: [String] = []
        for text in words {
            let word = normalizer.normalize(text)
            guard !word.isEmpty, !word.contains(" ") else { throw .emptyWord }
            guard word.count <= maxSynonymLength else { throw .synonymTooLong(text) }
            if !normalized.contains(word) { normalized.append(word) }
        }
        guard normalized.count >= 2 else { throw .tooFewSynonyms }
        let group = SynonymGroup(canonical: normalized[0], variants: Array(normalized.dropFirst()))
        guard group.variants.count <= maxVariants else { throw .tooManyVariants(group.variants.count) }
        if let clash = group.variants.first(where: { group.canonical.contains($0) }) {
            throw .variantInsideCanonical(variant: clash, canonical: group.canonical)
        }
        return group
    }

    /// A synonym line: the canonical word then its variants, separated by spaces.
    static func synonymLine(_ line: Substring) throws(LexiconRuleError) -> SynonymGroup {
        try group(line.split(whereSeparator: \.isWhitespace).map(String.init))
    }

    /// Non-blank, non-comment lines with their 1-based numbers; too many lines is refused.
    static func importLines(_ bytes: [UInt8]) throws -> [(Int, Substring)] {
        guard var text = String(validating: bytes, as: UTF8.self) else {
            throw Refusal(.invalidImport, "the file is not UTF-8 text")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = KnowledgeLanguage.lines(of: text)
        guard lines.count <= maxImportLines else {
            throw Refusal(.invalidImport, "an import holds at most \(maxImportLines) lines; split the file")
        }
        return lines
    }
}
