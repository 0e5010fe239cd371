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
    public var stopTokens: Set<String>

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
        for rule in variants {
            if let first = rule.variant.unicodeScalars.first { index[first, default: []].append(rule) }
        }
        return index
    }

    /// A lexicon that changes nothing.
    public static let empty = KnowledgeLexicon()
}
