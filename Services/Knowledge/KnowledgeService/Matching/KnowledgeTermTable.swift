/// One posting: a question document containing a term, with the term's frequency there.
struct KnowledgePosting: Sendable {
    var document: Int32
    var termFrequency: Float
}

/// Interned terms with their flat posting arrays and entry frequencies.
struct KnowledgeTermTable: Sendable {
    private(set) var idByText: [String: Int32] = [:]
    /// Postings per term id; order inside a list is irrelevant (removal swaps with the last).
    var postings: [[KnowledgePosting]] = []
    /// Number of indexed entries whose questions contain the term.
    var entryFrequency: [Int32] = []

    func id(of text: String) -> Int32? {
        idByText[text]
    }

    mutating func intern(_ token: KnowledgeToken) -> Int32 {
        if let existing = idByText[token.text] { return existing }
        let id = Int32(entryFrequency.count)
        idByText[token.text] = id
        postings.append([])
        entryFrequency.append(0)
        return id
    }

    mutating func removePosting(term: Int32, document: Int32) {
        let index = Int(term)
        guard let position = postings[index].firstIndex(where: { $0.document == document }) else { return }
        postings[index].swapAt(position, postings[index].count - 1)
        postings[index].removeLast()
        if postings[index].isEmpty { postings[index] = [] }
    }

    var count: Int { entryFrequency.count }
}
