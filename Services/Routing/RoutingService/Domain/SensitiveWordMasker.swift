/// Masks configured sensitive words (敏感词) in free text.
///
/// Built once from a word list; matching uses an Aho–Corasick automaton over
/// Unicode scalars, so cost per message is linear in the message length and
/// independent of the number of words.
///
/// Matching rules:
/// - words are trimmed; empty or whitespace-only words are ignored, duplicates are harmless;
/// - matching ignores case and width for Latin letters (`ABC`, `abc` and `ＡＢＣ` are equal),
///   and case for Greek and Cyrillic letters; other text is compared scalar by scalar
///   without canonical normalization (normalize to NFC upstream if needed);
/// - every occurrence of every word is masked, including overlapping and nested ones;
/// - masking works on whole grapheme clusters: each `Character` touched by a match
///   becomes one replacement character, unmatched characters are kept unchanged.
public struct SensitiveWordMasker: Sendable {
    private let automaton: SensitiveWordAutomaton

    /// Builds a masker from `words`.
    public init<Words: Sequence>(words: Words) where Words.Element == String {
        let patterns = words.compactMap { word -> [UInt32]? in
            let trimmed = word.trimmingWhitespaceForRouting()
            return trimmed.isEmpty ? nil : RoutingTextFolding.foldedScalars(trimmed)
        }
        automaton = SensitiveWordAutomaton(patterns: patterns)
    }

    /// Number of distinct (folded) words in the automaton.
    public var wordCount: Int { automaton.patternCount }

    /// `true` when no usable word was configured; `mask` then returns its input.
    public var isEmpty: Bool { automaton.patternCount == 0 }

    /// Returns `true` if `text` contains at least one configured word.
    public func containsMatch(_ text: String) -> Bool {
        var found = false
        withUTF8(of: text) { bytes in
            automaton.scan(utf8: bytes) { _, _ in
                found = true
                return false
            }
        }
        return found
    }

    /// Returns `text` with every character of every matched word replaced by `replacement`
    /// (one replacement per grapheme cluster).
    public func mask(_ text: String, replacement: Character = "*") -> String {
        let ranges = matchedByteRanges(in: text)
        guard !ranges.isEmpty else { return text }

        let utf8 = text.utf8
        var result = String()
        result.reserveCapacity(utf8.count)
        var copied = text.startIndex
        for range in ranges {
            let lower = characterStart(in: text, at: utf8.index(utf8.startIndex, offsetBy: range.lowerBound))
            let upperScalar = utf8.index(utf8.startIndex, offsetBy: range.upperBound)
            let upperStart = characterStart(in: text, at: upperScalar)
            let upper = upperStart == upperScalar ? upperScalar : text.index(after: upperStart)
            var current = max(lower, copied)
            guard current < upper else { continue }
            result.append(contentsOf: text[copied..<current])
            while current < upper {
                result.append(replacement)
                current = text.index(after: current)
            }
            copied = upper
        }
        result.append(contentsOf: text[copied...])
        return result
    }

    /// Start of the `Character` containing the scalar-aligned index `index`.
    /// `String.index(after:)` first rounds a non-Character-aligned index down to the start of
    /// its Character (standard library behaviour since Swift 5.7), so stepping forward and back
    /// lands on that start without segmenting the text from the beginning.
    private func characterStart(in text: String, at index: String.Index) -> String.Index {
        guard index < text.endIndex else { return text.endIndex }
        return text.index(before: text.index(after: index))
    }

    /// Merged UTF-8 byte ranges covered by matches, in ascending order.
    private func matchedByteRanges(in text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        withUTF8(of: text) { bytes in
            automaton.scan(utf8: bytes) { start, end in
                var lower = start
                while let last = ranges.last, lower <= last.upperBound {
                    lower = min(lower, last.lowerBound)
                    ranges.removeLast()
                }
                ranges.append(lower..<end)
                return true
            }
        }
        return ranges
    }

    private func withUTF8(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if text.utf8.withContiguousStorageIfAvailable(body) != nil { return }
        var copy = text
        copy.makeContiguousUTF8()
        copy.utf8.withContiguousStorageIfAvailable(body)
    }
}
