import Foundation

/// Domain vocabulary applied during tokenization, identically for indexed questions and queries.
///
/// `spellingVariants` rewrites well-known variant or mistyped spellings inside normalized text
/// (for example 登陆 → 登录). `glossary` maps a whole Latin word to Chinese text whose tokens are
/// added next to the word itself (for example `refund` → 退款), so mixed-language visitors match.
/// `stopTokens` are function characters and pairs (的, 吗, 怎么, …) dropped after tokenization.
public struct KnowledgeLexicon: Sendable, Equatable {
    /// Ordered (variant, canonical) pairs; keys must already be normalized text.
    public var spellingVariants: [SpellingVariant] {
        didSet { variantsByFirstScalar = Self.index(spellingVariants) }
    }
    private var variantsByFirstScalar: [Unicode.Scalar: [SpellingVariant]] = [:]
    /// Lower-cased Latin word → Chinese expansion.
    public var glossary: [String: String]
    /// Tokens (unigrams, bigrams or words) that carry no topic and are dropped.
    public var stopTokens: Set<String> {
        didSet { stopPairs = Self.pairs(stopTokens) }
    }
    /// The two-character stop tokens, packed (a cheaper test than hashing strings, for pinyin pairs).
    private var stopPairs: Set<UInt64> = []

    /// A variant spelling and the canonical spelling that replaces it.
    public struct SpellingVariant: Sendable, Equatable {
        /// The variant as it appears in normalized text.
        public var variant: String
        /// The canonical replacement.
        public var canonical: String

        /// Creates a variant rule.
        public init(_ variant: String, _ canonical: String) {
            self.variant = variant
            self.canonical = canonical
        }
    }

    /// Creates a lexicon.
    public init(spellingVariants: [SpellingVariant] = [], glossary: [String: String] = [:], stopTokens: Set<String> = []) {
        self.spellingVariants = spellingVariants
        self.variantsByFirstScalar = Self.index(spellingVariants)
        self.glossary = glossary
        self.stopTokens = stopTokens
        self.stopPairs = Self.pairs(stopTokens)
    }

    /// True when the two characters form a stop token.
    func isStopPair(_ first: Unicode.Scalar, _ second: Unicode.Scalar) -> Bool {
        !stopPairs.isEmpty && stopPairs.contains(UInt64(first.value) << 32 | UInt64(second.value))
    }

    /// True when the character alone is a stop token.
    func isStopCharacter(_ scalar: Unicode.Scalar) -> Bool {
        !stopPairs.isEmpty && stopPairs.contains(UInt64(scalar.value))
    }

    /// One- and two-character stop tokens, packed (`first << 32 | second`, or the scalar alone).
    private static func pairs(_ tokens: Set<String>) -> Set<UInt64> {
        Set(tokens.compactMap { token in
            let scalars = Array(token.unicodeScalars)
            switch scalars.count {
            case 1: return UInt64(scalars[0].value)
            case 2: return UInt64(scalars[0].value) << 32 | UInt64(scalars[1].value)
            default: return nil
            }
        })
    }

    /// Replaces every variant spelling in already normalized `text`, scanning left to right.
    public func applySpellingVariants(to text: String) -> String {
        guard !variantsByFirstScalar.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { variantsByFirstScalar[$0] != nil }) else { return text }
        var output = String.UnicodeScalarView()
        var position = 0
        scan: while position < scalars.count {
            for rule in variantsByFirstScalar[scalars[position]] ?? [] {
                let variant = rule.variant.unicodeScalars
                let end = position + variant.count
                if end <= scalars.count, scalars[position..<end].elementsEqual(variant) {
                    output.append(contentsOf: rule.canonical.unicodeScalars)
                    position = end
                    continue scan
                }
            }
            output.append(scalars[position])
            position += 1
        }
        return String(output)
    }

    private static func index(_ variants: [SpellingVariant]) -> [Unicode.Scalar: [SpellingVariant]] {
        var index: [Unicode.Scalar: [SpellingVariant]] = [:]
        for rule in variants.enumerated().sorted(by: { lhs, rhs in
            let (left, right) = (lhs.element.variant.unicodeScalars.count, rhs.element.variant.unicodeScalars.count)
            return left != right ? left > right : lhs.offset < rhs.offset
        }).map(\.element) {
            if let first = rule.variant.unicodeScalars.first { index[first, default: []].append(rule) }
        }
        return index
    }

    /// Adds synonyms from `text`: one group per line, the canonical word first, then its variants, separated
    /// by spaces (`退款 退钱 返钱`); `#` starts a comment line. Every variant is rewritten to the canonical word.
    /// Words are normalized with `normalizer`. Returns the bad lines (1-based) and applies the others.
    @discardableResult
    public mutating func addSynonyms(_ text: String, normalizer: KnowledgeTextNormalizer) -> [KnowledgeDataLineError] {
        var errors: [KnowledgeDataLineError] = []
        var added: [SpellingVariant] = []
        for (number, line) in KnowledgeLanguage.lines(of: text) {
            let words = line.split(whereSeparator: \.isWhitespace).map { normalizer.normalize(String($0)) }
            guard words.count >= 2 else {
                errors.append(.init(line: number, message: "expected a canonical word and at least one variant, separated by spaces"))
                continue
            }
            guard words.allSatisfy({ !$0.isEmpty && !$0.contains(" ") }) else {
                errors.append(.init(line: number, message: "a word is empty or made of punctuation only"))
                continue
            }
            let canonical = words[0]
            let variants = words.dropFirst().filter { $0 != canonical }
            if let clash = variants.first(where: { variant in canonical.contains(variant) }) {
                errors.append(.init(line: number, message: "variant '\(clash)' is part of the canonical word '\(canonical)' (the rewrite would never end)"))
                continue
            }
            added += variants.map { SpellingVariant($0, canonical) }
        }
        spellingVariants += added
        return errors
    }

    /// Adds English words from `text`: one per line, the lower-case word then the Chinese words it stands for,
    /// separated by spaces (`refund 退款`); `#` starts a comment line. A word already in ``glossary`` is replaced.
    /// Returns the bad lines (1-based) and applies the others.
    @discardableResult
    public mutating func addGlossary(_ text: String) -> [KnowledgeDataLineError] {
        var errors: [KnowledgeDataLineError] = []
        for (number, fields) in KnowledgeLanguage.englishLines(of: text, errors: &errors) {
            guard fields[0].unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && $0.isASCII }), fields[0] == fields[0].lowercased() else {
                errors.append(.init(line: number, message: "'\(fields[0])' is not a lower-case English word"))
                continue
            }
            glossary[fields[0]] = fields.dropFirst().joined(separator: " ")
        }
        return errors.sorted { $0.line < $1.line }
    }

    /// The e-commerce lexicon with the bundled customer-service synonyms (`Resources/synonyms.txt`) and the
    /// bilingual customer-service lexicon (`Resources/glossary.txt`).
    public static let standard: KnowledgeLexicon = {
        var lexicon = KnowledgeLexicon.standardWithoutBilingual
        lexicon.addGlossary(bundledText("glossary"))
        return lexicon
    }()

    /// ``standard`` without the bundled bilingual lexicon (the evaluation's ablation).
    public static let standardWithoutBilingual: KnowledgeLexicon = {
        var lexicon = KnowledgeLexicon.ecommerce
        lexicon.addSynonyms(bundledText("synonyms"), normalizer: .foldingTraditional)
        return lexicon
    }()

    /// A text resource of the library, empty when missing.
    static func bundledText(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "txt", subdirectory: "Resources") ??
            Bundle.module.url(forResource: name, withExtension: "txt") else { return "" }
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// A lexicon that changes nothing.
    public static let empty = KnowledgeLexicon()
}
