/// A generic English → Chinese lexicon for visitors who mix English words into Chinese questions (我的order怎么cancel).
///
/// The bundled table (`Resources/english.txt`) is derived by `scripts/derive_knowledge_language.py` from CC-CEDICT
/// (CC BY-SA 4.0, `Resources/LICENSES.md`): for an English word or two-word phrase, up to three Chinese words of the
/// segmentation dictionary that CC-CEDICT glosses with it as a primary sense, best first. It ranks below the
/// hand-written glossary (``KnowledgeLexicon/glossary``): a word the glossary knows is not looked up here. The
/// tokenizer adds the candidates as ``KnowledgeTokenKind/translation`` tokens, which score with a reduced weight.
public struct KnowledgeEnglishLexicon: Sendable {
    /// Lower-case English word, or two words joined by `_`, → Chinese candidates, best first.
    public private(set) var translations: [String: [String]] = [:]
    /// English function words dropped from a message (they name no topic).
    public var stopWords: Set<String>

    /// Creates a lexicon; the default stop words are ``defaultStopWords``.
    public init(stopWords: Set<String> = KnowledgeEnglishLexicon.defaultStopWords) {
        self.stopWords = stopWords
    }

    /// The candidates of a word (or of two words, `first_second`), if any.
    public func candidates(for key: String) -> [String]? {
        translations[key]
    }

    /// Adds lines of `english 中文 中文…` (the English word lower case, a phrase's words joined by `_`); `#` starts a
    /// comment line. Returns the bad lines (1-based) and applies the others.
    @discardableResult
    public mutating func add(_ text: String) -> [KnowledgeDataLineError] {
        var errors: [KnowledgeDataLineError] = []
        for (number, fields) in KnowledgeLanguage.englishLines(of: text, errors: &errors) {
            let words = fields[0].split(separator: "_", omittingEmptySubsequences: false)
            guard (1...2).contains(words.count), words.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLowercase } }) else {
                errors.append(.init(line: number, message: "'\(fields[0])' is not a lower-case English word or two words joined by '_'"))
                continue
            }
            guard fields.dropFirst().allSatisfy({ $0.unicodeScalars.allSatisfy(KnowledgeTokenizer.isCJK) }) else {
                errors.append(.init(line: number, message: "a translation is not a Chinese word (CJK characters only)"))
                continue
            }
            translations[fields[0]] = Array(fields.dropFirst())
        }
        return errors.sorted { $0.line < $1.line }
    }

    /// The base form of an inflected English word (`orders` → `order`, `cancelled` → `cancel`, `replies` → `reply`,
    /// `charging` → `charge`) when `isKnown` accepts it; nil when the word is known as it is or no base form is.
    public static func baseForm(of word: String, isKnown: (String) -> Bool) -> String? {
        guard word.count > 3, !isKnown(word) else { return nil }
        for candidate in baseCandidates(of: word) where candidate.count >= 2 && isKnown(candidate) {
            return candidate
        }
        return nil
    }

    /// Possible base forms, most likely first: plural and third person (-s, -es, -ies), past (-ed, -ied) and -ing,
    /// with a doubled final consonant undone (cancelled, stopped) and a dropped final e restored (charging, used).
    static func baseCandidates(of word: String) -> [String] {
        var result: [String] = []
        func strip(_ suffix: String) -> String? {
            word.hasSuffix(suffix) && word.count > suffix.count + 1 ? String(word.dropLast(suffix.count)) : nil
        }
        if let stem = strip("ies") { result.append(stem + "y") }
        if let stem = strip("es") { result.append(stem) }
        if let stem = strip("s"), !word.hasSuffix("ss") { result.append(stem) }
        if let stem = strip("ied") { result.append(stem + "y") }
        for suffix in ["ed", "ing"] {
            guard let stem = strip(suffix) else { continue }
            result.append(stem)
            result.append(stem + "e")
            if let last = stem.last, stem.dropLast().last == last, !"aeiou".contains(last) { result.append(String(stem.dropLast())) }
        }
        if let stem = strip("d"), word.hasSuffix("ed") { result.append(stem) }
        return result
    }

    /// Function words of English questions: articles, pronouns, auxiliaries, question words, prepositions, greetings.
    public static let defaultStopWords: Set<String> = [
        "a", "an", "the", "to", "of", "in", "on", "at", "by", "for", "from", "with", "and", "or", "as", "about",
        "is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "i", "me", "my", "you", "your", "we", "our",
        "us", "it", "its", "this", "that", "there", "how", "what", "when", "where", "which", "who", "why", "can",
        "could", "would", "will", "should", "shall", "may", "please", "pls", "plz", "hi", "hello", "hey", "thanks",
        "thank", "so", "if", "then", "any", "some", "just", "also",
    ]

    /// The bundled CC-CEDICT-derived table (`Resources/english.txt`); empty translations if it is missing.
    public static let bundled: KnowledgeEnglishLexicon = {
        var lexicon = KnowledgeEnglishLexicon()
        lexicon.add(KnowledgeLexicon.bundledText("english"))
        return lexicon
    }()

    /// No translations and no stop words.
    public static let empty = KnowledgeEnglishLexicon(stopWords: [])
}
