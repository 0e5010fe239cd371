import Foundation

/// A stand-in matcher (token-set overlap, linear scan) used until the BM25 engine is wired in.
struct InterimMatcher: KnowledgeMatcher {
    private var questions: [String: [Set<String>]] = [:]

    var count: Int { questions.count }

    mutating func upsert(_ entry: MatcherEntry) throws {
        questions[entry.id] = ([entry.question] + entry.similarQuestions).map(Self.tokens)
    }

    mutating func remove(entryID: String) {
        questions[entryID] = nil
    }

    func search(_ text: String, limit: Int) -> [MatcherHit] {
        let query = Self.tokens(text)
        guard !query.isEmpty, limit > 0 else { return [] }
        var hits: [MatcherHit] = []
        for (id, sets) in questions {
            let best = sets.map { set -> Double in
                let shared = Double(set.intersection(query).count)
                return set.isEmpty ? 0 : 2 * shared / Double(set.count + query.count)
            }.max() ?? 0
            if best > 0 { hits.append(MatcherHit(entryID: id, score: best, confidence: best)) }
        }
        hits.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.entryID < $1.entryID }
        return Array(hits.prefix(limit))
    }

    static func tokens(_ text: String) -> Set<String> {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var tokens = Set<String>()
        var word = ""
        var previous: Character?
        for character in folded {
            if character.isLetter, !character.isASCII {
                if !word.isEmpty { tokens.insert(word); word = "" }
                tokens.insert(String(character))
                if let previous { tokens.insert(String([previous, character])) }
                previous = character
            } else if character.isLetter || character.isNumber {
                word.append(character)
                previous = nil
            } else {
                if !word.isEmpty { tokens.insert(word); word = "" }
                previous = nil
            }
        }
        if !word.isEmpty { tokens.insert(word) }
        return tokens
    }
}
