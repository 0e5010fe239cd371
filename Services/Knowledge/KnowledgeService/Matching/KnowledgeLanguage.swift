import Foundation

/// Chinese language tables of the matcher: a word dictionary for segmentation, traditional → simplified
/// folding and a pinyin reading per character.
///
/// The bundled tables (`Resources/`, see `Resources/LICENSES.md`) are derived from jieba, OpenCC and
/// go-pinyin. Admin word lists are added with ``addWords(_:)``; bad lines are reported, the rest applied.
public struct KnowledgeLanguage: Sendable {
    /// Natural log of each word's frequency, keyed by ``packed(_:)``.
    private var logFrequency: [UInt64: Float] = [:]
    private var logTotal: Float = 0
    private var totalFrequency: Double = 0
    /// Traditional → simplified, one character each.
    public private(set) var simplified: [Unicode.Scalar: Unicode.Scalar] = [:]
    /// Toneless pinyin of each character (first reading).
    private var readings: [Unicode.Scalar: String] = [:]

    /// Longest dictionary word, in characters (words are packed into 64 bits, four BMP characters at most).
    public static let maximumWordLength = 4
    /// Frequency given to admin words that name none (jieba's frequency of an ordinary word).
    public static let defaultWordFrequency = 1_000

    /// An empty language: no words, no folding, no readings.
    public init() {}

    /// Number of dictionary words.
    public var wordCount: Int { logFrequency.count }

    /// True when `word` is a dictionary word.
    public func contains(word: String) -> Bool {
        Self.packed(Array(word.unicodeScalars)[...]).map { logFrequency[$0] != nil } ?? false
    }

    /// The toneless pinyin of `scalar`, if known.
    public func reading(of scalar: Unicode.Scalar) -> String? {
        readings[scalar]
    }

    /// Adds words from `text`, one per line: `word` or `word frequency`; `#` starts a comment line.
    /// Returns the bad lines (1-based) and applies the others.
    @discardableResult
    public mutating func addWords(_ text: String) -> [KnowledgeDataLineError] {
        var errors: [KnowledgeDataLineError] = []
        for (number, line) in Self.lines(of: text) {
            let fields = line.split(whereSeparator: \.isWhitespace)
            guard fields.count <= 2 else {
                errors.append(.init(line: number, message: "expected 'word' or 'word frequency', got \(fields.count) fields"))
                continue
            }
            let word = String(fields[0])
            let frequency = fields.count == 2 ? Int(fields[1]) : Self.defaultWordFrequency
            guard let frequency, frequency > 0 else {
                errors.append(.init(line: number, message: "frequency must be a positive integer, got '\(fields[1])'"))
                continue
            }
            let scalars = Array(word.unicodeScalars)
            guard scalars.allSatisfy(KnowledgeTokenizer.isCJK) else {
                errors.append(.init(line: number, message: "'\(word)' is not a Chinese word (CJK characters only)"))
                continue
            }
            guard let key = Self.packed(scalars[...]) else {
                errors.append(.init(line: number, message: "'\(word)' is longer than \(Self.maximumWordLength) characters"))
                continue
            }
            if logFrequency[key] == nil { totalFrequency += Double(frequency) }
            logFrequency[key] = Float(log(Double(frequency)))
        }
        logTotal = Float(log(max(totalFrequency, 1)))
        return errors
    }

    /// Splits a run of CJK characters into words by jieba's rule: the segmentation with the highest
    /// product of word probabilities over the dictionary's words (an unknown character counts as frequency 1).
    /// Returns the ranges of the words, in order, covering the whole run.
    public func segment(_ run: [Unicode.Scalar]) -> [Range<Int>] {
        let count = run.count
        guard count > 1, !logFrequency.isEmpty else { return (0..<count).map { $0..<($0 + 1) } }
        var best = [Float](repeating: 0, count: count + 1)
        var end = [Int](repeating: 0, count: count + 1)
        for start in stride(from: count - 1, through: 0, by: -1) {
            var bestScore = -logTotal + best[start + 1]
            var bestEnd = start + 1
            var key: UInt64 = 0
            for length in 1...min(Self.maximumWordLength, count - start) {
                let value = run[start + length - 1].value
                guard value <= 0xFFFF else { break }
                key = key << 16 | UInt64(value)
                guard let frequency = logFrequency[key] else { continue }
                let score = frequency - logTotal + best[start + length]
                if score > bestScore || length == 1 {
                    bestScore = score
                    bestEnd = start + length
                }
            }
            best[start] = bestScore
            end[start] = bestEnd
        }
        var ranges: [Range<Int>] = []
        var position = 0
        while position < count {
            ranges.append(position..<end[position])
            position = end[position]
        }
        return ranges
    }

    /// Up to four BMP characters packed into 16-bit lanes; nil when longer or outside the BMP.
    static func packed(_ scalars: ArraySlice<Unicode.Scalar>) -> UInt64? {
        guard (1...maximumWordLength).contains(scalars.count) else { return nil }
        var key: UInt64 = 0
        for scalar in scalars {
            guard scalar.value <= 0xFFFF else { return nil }
            key = key << 16 | UInt64(scalar.value)
        }
        return key
    }

    /// Non-blank, non-comment lines with their 1-based numbers, trimmed (LF, CRLF or CR line ends).
    static func lines(of text: String) -> [(Int, Substring)] {
        var result: [(Int, Substring)] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            result.append((index + 1, Substring(line)))
        }
        return result
    }

    /// The lines of an English word table (`word 中文 中文…`), split into fields; a line with fewer than two fields
    /// is reported in `errors` and left out (callers sort `errors` by line before returning them).
    static func englishLines(of text: String, errors: inout [KnowledgeDataLineError]) -> [(Int, [String])] {
        lines(of: text).compactMap { number, line in
            let fields = line.split(whereSeparator: \.isWhitespace).map(String.init)
            guard fields.count >= 2 else {
                errors.append(.init(line: number, message: "expected an English word and at least one Chinese word, separated by spaces"))
                return nil
            }
            return (number, fields)
        }
    }

    /// Reads `character value` pairs (folding and reading tables).
    private static func pairs(_ text: String) -> [(Unicode.Scalar, Substring)] {
        lines(of: text).compactMap { _, line in
            let fields = line.split(separator: " ")
            guard fields.count == 2, let scalar = fields[0].unicodeScalars.first, fields[0].unicodeScalars.count == 1 else { return nil }
            return (scalar, fields[1])
        }
    }

    /// The tables shipped in the library's resources; an empty language if they are missing.
    public static let bundled: KnowledgeLanguage = {
        var language = KnowledgeLanguage()
        let resource = KnowledgeLexicon.bundledText
        language.addWords(resource("words"))
        for (source, target) in pairs(resource("t2s")) {
            if let scalar = target.unicodeScalars.first, target.unicodeScalars.count == 1 { language.simplified[source] = scalar }
        }
        for (scalar, reading) in pairs(resource("pinyin")) {
            language.readings[scalar] = String(reading)
        }
        return language
    }()
}

/// A bad line of an admin data file (dictionary, synonyms): reported, the other lines are applied.
public struct KnowledgeDataLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// What is wrong with it.
    public var message: String

    /// Creates a line error.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
