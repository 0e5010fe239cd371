/// A ranked entry before its confidence is computed.
struct KnowledgeRankedEntry: Sendable {
    let slot: Int32
    let document: Int32
    let score: Float
}

extension KnowledgeBM25Index {
    /// Returns up to `limit` entries ranked by BM25 score of their best-matching question.
    /// Nothing is filtered by confidence; an empty or unmatched query returns no results.
    public func search(_ query: String, limit: Int = 10) -> [KnowledgeMatch] {
        let analyzed = analyze(query)
        return rank(analyzed, limit: limit).map { makeMatch($0, query: analyzed) }
    }

    /// Returns the best match whose confidence reaches `threshold` (default
    /// ``KnowledgeBM25Configuration/answerThreshold``), or nil when the query is unanswered.
    /// Among the top ``KnowledgeBM25Configuration/answerCandidates`` by score, the most confident wins.
    public func answer(_ query: String, threshold: Double? = nil) -> KnowledgeMatch? {
        selectAnswer(from: search(query, limit: configuration.answerCandidates), threshold: threshold)
    }

    /// The most confident of the first ``KnowledgeBM25Configuration/answerCandidates`` matches, if it reaches the threshold.
    func selectAnswer(from ranked: [KnowledgeMatch], threshold: Double?) -> KnowledgeMatch? {
        let minimum = threshold ?? configuration.answerThreshold
        var best: KnowledgeMatch?
        for candidate in ranked.prefix(configuration.answerCandidates) where candidate.confidence > (best?.confidence ?? -1) {
            best = candidate
        }
        guard let best, best.confidence >= minimum else { return nil }
        return best
    }

    /// Scores questions and returns the top entries.
    ///
    /// Terms used by more entries than ``KnowledgeBM25Configuration/commonTermEntries(forEntryCount:)``
    /// only add to questions already reached by a rarer query term, so a question matching nothing
    /// but very common terms is not a candidate unless the whole query is made of common terms.
    func rank(_ query: KnowledgeAnalyzedQuery, limit: Int) -> [KnowledgeRankedEntry] {
        guard limit > 0, store.entryCount > 0 else { return [] }
        let commonLimit = Int32(configuration.commonTermEntries(forEntryCount: store.entryCount))
        let matched = query.terms.filter { term in
            term.weight > 0 && term.id.map { !terms.postings[Int($0)].isEmpty } == true
        }
        guard !matched.isEmpty else { return [] }
        var selective = matched.filter { terms.entryFrequency[Int($0.id ?? 0)] <= commonLimit }
        var common = matched.filter { terms.entryFrequency[Int($0.id ?? 0)] > commonLimit }
        if selective.isEmpty { swap(&selective, &common) }

        var scores = [Float](repeating: 0, count: store.documentCapacity)
        var touched: [Int32] = []
        let k1 = Float(configuration.k1)
        let b = Float(configuration.b)
        let averageLength = Float(store.averageLength)
        store.lengthOfDocument.withUnsafeBufferPointer { lengths in
            scores.withUnsafeMutableBufferPointer { documentScores in
                for (terms, addsCandidates) in [(selective, true), (common, false)] {
                    for term in terms {
                        let weight = Float(term.weight) * (k1 + 1)
                        self.terms.postings[Int(term.id ?? 0)].withUnsafeBufferPointer { postings in
                            for posting in postings {
                                let document = Int(posting.document)
                                if documentScores[document] == 0 {
                                    guard addsCandidates else { continue }
                                    touched.append(posting.document)
                                }
                                let frequency = posting.termFrequency
                                let norm = k1 * (1 - b + b * lengths[document] / averageLength)
                                documentScores[document] += weight * frequency / (frequency + norm)
                            }
                        }
                    }
                }
            }
        }
        return selectTopEntries(scores: scores, touched: touched, limit: limit)
    }

    /// Folds question scores into entry scores (best question plus a share of its siblings) and keeps the top `limit`.
    private func selectTopEntries(scores: [Float], touched: [Int32], limit: Int) -> [KnowledgeRankedEntry] {
        let slotCount = store.slotCapacity
        var bestScore = [Float](repeating: 0, count: slotCount)
        var totalScore = [Float](repeating: 0, count: slotCount)
        var bestDocument = [Int32](repeating: -1, count: slotCount)
        var touchedSlots: [Int32] = []
        bestScore.withUnsafeMutableBufferPointer { best in
            totalScore.withUnsafeMutableBufferPointer { total in
                bestDocument.withUnsafeMutableBufferPointer { bestOfSlot in
                    scores.withUnsafeBufferPointer { documentScores in
                        store.slotOfDocument.withUnsafeBufferPointer { slots in
                            for candidate in touched {
                                let document = Int(candidate)
                                let score = documentScores[document]
                                let slot = Int(slots[document])
                                if bestOfSlot[slot] < 0 {
                                    touchedSlots.append(Int32(slot))
                                    bestOfSlot[slot] = Int32(document)
                                    best[slot] = score
                                } else if score > best[slot] {
                                    best[slot] = score
                                    bestOfSlot[slot] = Int32(document)
                                }
                                total[slot] += score
                            }
                        }
                    }
                }
            }
        }
        let siblingWeight = Float(configuration.siblingWeight)
        var top: [KnowledgeRankedEntry] = []
        top.reserveCapacity(limit + 1)
        for slot in touchedSlots {
            let best = bestScore[Int(slot)]
            let score = best + siblingWeight * (totalScore[Int(slot)] - best)
            let candidate = KnowledgeRankedEntry(slot: slot, document: bestDocument[Int(slot)], score: score)
            if top.count == limit, let last = top.last, !ranksBefore(candidate, last) { continue }
            let position = top.firstIndex { ranksBefore(candidate, $0) } ?? top.count
            top.insert(candidate, at: position)
            if top.count > limit { top.removeLast() }
        }
        return top
    }

    /// Higher score first; equal scores keep the earlier-indexed entry first (slot order), which is
    /// deterministic for a given sequence of updates and cheap enough for the many ties of large indexes.
    private func ranksBefore(_ lhs: KnowledgeRankedEntry, _ rhs: KnowledgeRankedEntry) -> Bool {
        lhs.score != rhs.score ? lhs.score > rhs.score : lhs.slot < rhs.slot
    }

    private func makeMatch(_ ranked: KnowledgeRankedEntry, query: KnowledgeAnalyzedQuery) -> KnowledgeMatch {
        let question = store.question(of: ranked.document)
        let confidence = confidence(query: query, slot: ranked.slot, question: question, score: Double(ranked.score))
        var match = KnowledgeMatch(
            entryID: store.entryIDOfSlot[Int(ranked.slot)],
            score: Double(ranked.score),
            confidence: confidence.value,
            matchedQuestion: question,
            queryCoverage: confidence.queryCoverage,
            questionCoverage: confidence.questionCoverage
        )
        match.evidence = confidence.evidence
        match.unmatchedWordShare = confidence.unmatchedWordShare
        match.unmatchedAnyWordShare = confidence.unmatchedAnyWordShare
        match.entryCoverage = confidence.entryCoverage
        return match
    }
}
