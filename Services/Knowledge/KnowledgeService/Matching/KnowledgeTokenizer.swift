/// Splits text into scoring tokens.
///
/// Text is first normalized with ``KnowledgeTextNormalizer`` and rewritten with the lexicon's
/// spelling variants. CJK runs yield every character (unigram) and every adjacent pair (bigram);
/// letter runs yield one lower-cased word and digit runs one number (letters and digits are split,
/// so `iphone15` gives `iphone` and `15`). Glossary words additionally yield the tokens of their
/// Chinese expansion. Spaces and punctuation end a run, so no bigram spans them. Stop tokens are
/// removed last, so they still delimit the bigrams around them.
public struct KnowledgeTokenizer: Sendable {
    /// The normalizer applied before tokenization.
    public let normalizer: KnowledgeTextNormalizer
    /// The lexicon applied after normalization.
    public let lexicon: KnowledgeLexicon

    /// Creates a tokenizer.
    public init(normalizer: KnowledgeTextNormalizer = KnowledgeTextNormalizer(), lexicon: KnowledgeLexicon = .ecommerce) {
        self.normalizer = normalizer
        self.lexicon = lexicon
    }

    /// Normalizes `text`, applies spelling variants and returns its tokens in text order.
    public func tokenize(_ text: String) -> [KnowledgeToken] {
        let normalized = lexicon.applySpellingVariants(to: normalizer.normalize(text))
        var tokens: [KnowledgeToken] = []
        tokens.reserveCapacity(normalized.unicodeScalars.count * 2)
        appendTokens(of: normalized, expandGlossary: true, to: &tokens)
        if !lexicon.stopTokens.isEmpty {
            tokens.removeAll { lexicon.stopTokens.contains($0.text) }
        }
        return tokens
    }

    private enum ScalarClass: Equatable {
        case cjk, letter, digit, boundary
    }

    private func appendTokens(of normalized: String, expandGlossary: Bool, to tokens: inout [KnowledgeToken]) {
        var run = String.UnicodeScalarView()
        var runClass = ScalarClass.boundary
        var previousCJK: Unicode.Scalar?

        func flush() {
            guard !run.isEmpty else { return }
            let text = String(run)
            if runClass == .letter {
                tokens.append(KnowledgeToken(text, kind: .word))
                if expandGlossary, let expansion = lexicon.glossary[text] {
                    appendTokens(of: normalizer.normalize(expansion), expandGlossary: false, to: &tokens)
                }
            } else if runClass == .digit {
                tokens.append(KnowledgeToken(text, kind: .number))
            }
            run = String.UnicodeScalarView()
        }

        for scalar in normalized.unicodeScalars {
            let scalarClass = Self.classify(scalar)
            if scalarClass == .cjk {
                if runClass != .cjk { flush() }
                tokens.append(KnowledgeToken(String(Character(scalar)), kind: .cjkUnigram))
                if let previous = previousCJK {
                    var pair = String.UnicodeScalarView()
                    pair.append(previous)
                    pair.append(scalar)
                    tokens.append(KnowledgeToken(String(pair), kind: .cjkBigram))
                }
                previousCJK = scalar
                runClass = .cjk
                continue
            }
            previousCJK = nil
            if scalarClass != runClass { flush() }
            runClass = scalarClass
            if scalarClass != .boundary { run.append(scalar) }
        }
        flush()
    }

    private static func classify(_ scalar: Unicode.Scalar) -> ScalarClass {
        if isCJK(scalar) { return .cjk }
        let properties = scalar.properties
        if properties.numericType == .decimal { return .digit }
        if properties.isAlphabetic { return .letter }
        if case .nonspacingMark = properties.generalCategory { return .letter }
        return .boundary
    }

    /// True for Han ideographs (all blocks), kana and Hangul syllables.
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3005...0x3007, 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x323AF:
            return true
        default:
            return false
        }
    }
}
