/// Splits text into scoring tokens.
///
/// Text is first normalized with ``KnowledgeTextNormalizer`` (which may fold traditional characters) and
/// rewritten with the lexicon's spelling variants and synonyms. CJK runs yield every character (unigram)
/// and every adjacent pair; with ``Features/segmentation`` the run is also split into dictionary words
/// (``KnowledgeLanguage/segment(_:)``): a pair that is a word is a ``KnowledgeTokenKind/cjkWord`` instead
/// of a ``KnowledgeTokenKind/cjkBigram``, and longer words are added as words. With ``Features/pinyin``
/// every pair also yields its toneless pinyin. Letter runs yield one lower-cased word and digit runs one
/// number (letters and digits are split, so `iphone15` gives `iphone` and `15`). Glossary words
/// additionally yield the tokens of their Chinese expansion. With ``Features/englishLexicon`` an inflected
/// English word becomes its known base form (`cancelled` → `cancel`), English function words are dropped, and
/// a word (or two-word phrase) the glossary lacks yields its CC-CEDICT candidates (``KnowledgeEnglishLexicon``)
/// as ``KnowledgeTokenKind/translation`` tokens. Spaces and punctuation end a run, so no pair
/// spans them. Stop tokens are dropped as they are found (one- and two-character ones by their packed
/// characters, Latin ones at the end), after the pairs around them are formed, so they still delimit them.
public struct KnowledgeTokenizer: Sendable {
    /// Optional language features, each measurable on its own in the evaluation.
    public struct Features: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        /// Creates a feature set.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Dictionary word segmentation next to character pairs.
        public static let segmentation = Features(rawValue: 1)
        /// Pinyin tokens for character pairs (homophone typos).
        public static let pinyin = Features(rawValue: 2)
        /// English base forms, stop words and CC-CEDICT translations (``KnowledgeEnglishLexicon``).
        public static let englishLexicon = Features(rawValue: 4)
        /// Every feature.
        public static let all: Features = [.segmentation, .pinyin, .englishLexicon]
    }

    /// The normalizer applied before tokenization.
    public let normalizer: KnowledgeTextNormalizer
    /// The lexicon applied after normalization.
    public let lexicon: KnowledgeLexicon
    /// Dictionary and readings used by ``features``.
    public let language: KnowledgeLanguage
    /// Enabled language features.
    public let features: Features
    /// English translations used by ``Features/englishLexicon``.
    public let english: KnowledgeEnglishLexicon

    /// Creates a tokenizer; the default folds traditional characters, applies the standard lexicon
    /// (with the customer-service synonyms), segments with the bundled dictionary and adds pinyin.
    public init(
        normalizer: KnowledgeTextNormalizer = .foldingTraditional,
        lexicon: KnowledgeLexicon = .standard,
        language: KnowledgeLanguage = .bundled,
        features: Features = .all,
        english: KnowledgeEnglishLexicon = .bundled
    ) {
        self.normalizer = normalizer
        self.lexicon = lexicon
        self.language = language
        self.features = features
        self.english = english
    }

    /// The tokenizer before language features: no folding, no synonyms, no segmentation, no pinyin.
    public static let plain = KnowledgeTokenizer(normalizer: KnowledgeTextNormalizer(), lexicon: .ecommerce, language: KnowledgeLanguage(), features: [])

    /// Normalizes `text`, applies spelling variants and returns its tokens in text order.
    public func tokenize(_ text: String) -> [KnowledgeToken] {
        let normalized = lexicon.applySpellingVariants(to: normalizer.normalize(text))
        var tokens: [KnowledgeToken] = []
        tokens.reserveCapacity(normalized.unicodeScalars.count * 3)
        appendTokens(of: normalized, expandGlossary: true, to: &tokens)
        let englishStop = features.contains(.englishLexicon) ? english.stopWords : []
        if !lexicon.stopTokens.isEmpty || !englishStop.isEmpty {
            tokens.removeAll { $0.kind == .word && (lexicon.stopTokens.contains($0.text) || englishStop.contains($0.text)) }
        }
        return tokens
    }

    private enum ScalarClass: Equatable {
        case cjk, letter, digit, boundary
    }

    private func appendTokens(of normalized: String, expandGlossary: Bool, to tokens: inout [KnowledgeToken]) {
        var run = String.UnicodeScalarView()
        var runClass = ScalarClass.boundary
        var cjkRun: [Unicode.Scalar] = []
        var previousWord: String?

        func flush() {
            if !cjkRun.isEmpty {
                appendCJKTokens(of: cjkRun, to: &tokens)
                cjkRun.removeAll(keepingCapacity: true)
                previousWord = nil
            }
            guard !run.isEmpty else { return }
            let text = String(run)
            if runClass == .letter {
                let word = englishWord(text)
                tokens.append(KnowledgeToken(word, kind: .word))
                if expandGlossary {
                    appendTranslations(of: word, after: previousWord, to: &tokens)
                }
                previousWord = word
            } else if runClass == .digit {
                tokens.append(KnowledgeToken(text, kind: .number))
                previousWord = nil
            }
            run = String.UnicodeScalarView()
        }

        for scalar in normalized.unicodeScalars {
            let scalarClass = Self.classify(scalar)
            if scalarClass == .cjk {
                if runClass != .cjk { flush() }
                cjkRun.append(scalar)
                runClass = .cjk
                continue
            }
            if scalarClass != runClass { flush() }
            runClass = scalarClass
            if scalarClass != .boundary { run.append(scalar) }
        }
        flush()
    }

    /// `word`, or its base form when ``Features/englishLexicon`` is on, the word is unknown and the base is known.
    private func englishWord(_ word: String) -> String {
        guard features.contains(.englishLexicon) else { return word }
        return KnowledgeEnglishLexicon.baseForm(of: word) { lexicon.glossary[$0] != nil || english.candidates(for: $0) != nil } ?? word
    }

    /// The glossary expansion of `word`, or else its CC-CEDICT candidates. After a `previous` word, with
    /// ``Features/englishLexicon``: the candidates of the phrase `previous word`, and the two words written as one
    /// (`sign up` → `signup`, `e mail` → `email`) with its translations, when a lexicon knows it.
    private func appendTranslations(of word: String, after previous: String?, to tokens: inout [KnowledgeToken]) {
        appendTranslations(of: word, to: &tokens)
        guard let previous, features.contains(.englishLexicon) else { return }
        if let candidates = translationCandidates(of: previous + "_" + word) {
            tokens += candidates.map { KnowledgeToken($0, kind: .translation) }
        }
        if let joined = joinedWord(previous, word) {
            tokens.append(KnowledgeToken(joined, kind: .word))
            appendTranslations(of: joined, to: &tokens)
        }
    }

    private func appendTranslations(of word: String, to tokens: inout [KnowledgeToken]) {
        if let expansion = lexicon.glossary[word] {
            appendTokens(of: normalizer.normalize(expansion), expandGlossary: false, to: &tokens)
        } else if let candidates = translationCandidates(of: word) {
            tokens += candidates.map { KnowledgeToken($0, kind: .translation) }
        }
    }

    /// `first` and `second` written as one word, when the glossary or the English lexicon knows that word.
    func joinedWord(_ first: String, _ second: String) -> String? {
        let joined = first + second
        return lexicon.glossary[joined] != nil || english.candidates(for: joined) != nil ? joined : nil
    }

    /// The CC-CEDICT candidates of a word the glossary lacks (or of a phrase), when ``Features/englishLexicon`` is on.
    func translationCandidates(of key: String) -> [String]? {
        guard features.contains(.englishLexicon), lexicon.glossary[key] == nil else { return nil }
        return english.candidates(for: key)
    }

    /// Unigrams, pairs (words or bigrams), longer words and pinyin pairs of one CJK run.
    private func appendCJKTokens(of run: [Unicode.Scalar], to tokens: inout [KnowledgeToken]) {
        var wordStart = [Int](repeating: -1, count: run.count)
        if features.contains(.segmentation), run.count > 1 {
            for range in language.segment(run) where range.count > 1 {
                wordStart[range.upperBound - 1] = range.lowerBound
            }
        }
        let readings = features.contains(.pinyin) ? run.map { language.reading(of: $0) } : []
        for position in run.indices {
            if !lexicon.isStopCharacter(run[position]) {
                tokens.append(KnowledgeToken(String(Character(run[position])), kind: .cjkUnigram))
            }
            guard position > 0 else { continue }
            let start = wordStart[position]
            let stopPair = lexicon.isStopPair(run[position - 1], run[position])
            if !stopPair {
                tokens.append(KnowledgeToken(Self.text(run[(position - 1)...position]), kind: start == position - 1 ? .cjkWord : .cjkBigram))
            }
            if start >= 0, start < position - 1 {
                tokens.append(KnowledgeToken(Self.text(run[start...position]), kind: .cjkWord))
            }
            if !readings.isEmpty, !stopPair, let first = readings[position - 1], let second = readings[position] {
                tokens.append(KnowledgeToken(first + "_" + second, kind: .pinyin))
            }
        }
    }

    private static func text(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
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
