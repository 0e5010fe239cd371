/// Question documents and entry slots, both recycled through free lists.
struct KnowledgeDocumentStore: Sendable {
    /// Entry slot of each document, -1 when the document id is free.
    private(set) var slotOfDocument: [Int32] = []
    /// Position of the document's question inside its entry's question list.
    private(set) var questionOfDocument: [Int32] = []
    /// Token count of each document, 0 when free.
    private(set) var lengthOfDocument: [Float] = []
    private var freeDocuments: [Int32] = []
    private(set) var liveDocumentCount = 0
    private(set) var totalLength: Double = 0

    private(set) var slotByEntryID: [String: Int32] = [:]
    private(set) var entryIDOfSlot: [String] = []
    private(set) var questionsOfSlot: [[String]] = []
    private(set) var documentsOfSlot: [[Int32]] = []
    private var freeSlots: [Int32] = []

    var entryCount: Int { slotByEntryID.count }
    var documentCapacity: Int { slotOfDocument.count }
    var slotCapacity: Int { entryIDOfSlot.count }
    var averageLength: Double { liveDocumentCount == 0 ? 1 : max(totalLength / Double(liveDocumentCount), 1) }

    func slot(of entryID: String) -> Int32? {
        slotByEntryID[entryID]
    }

    mutating func addEntry(id: String, questions: [String]) -> Int32 {
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
            entryIDOfSlot[Int(slot)] = id
            questionsOfSlot[Int(slot)] = questions
            documentsOfSlot[Int(slot)] = []
        } else {
            slot = Int32(entryIDOfSlot.count)
            entryIDOfSlot.append(id)
            questionsOfSlot.append(questions)
            documentsOfSlot.append([])
        }
        slotByEntryID[id] = slot
        return slot
    }

    mutating func addDocument(slot: Int32, question: Int, length: Int) -> Int32 {
        let document: Int32
        if let reused = freeDocuments.popLast() {
            document = reused
            slotOfDocument[Int(document)] = slot
            questionOfDocument[Int(document)] = Int32(question)
            lengthOfDocument[Int(document)] = Float(length)
        } else {
            document = Int32(slotOfDocument.count)
            slotOfDocument.append(slot)
            questionOfDocument.append(Int32(question))
            lengthOfDocument.append(Float(length))
        }
        documentsOfSlot[Int(slot)].append(document)
        liveDocumentCount += 1
        totalLength += Double(length)
        return document
    }

    /// Frees the slot and its documents; returns the freed (document, question text) pairs.
    mutating func removeEntry(slot: Int32) -> [(document: Int32, question: String)] {
        let index = Int(slot)
        var freed: [(document: Int32, question: String)] = []
        for document in documentsOfSlot[index] {
            let position = Int(document)
            freed.append((document, questionsOfSlot[index][Int(questionOfDocument[position])]))
            totalLength -= Double(lengthOfDocument[position])
            liveDocumentCount -= 1
            slotOfDocument[position] = -1
            lengthOfDocument[position] = 0
            freeDocuments.append(document)
        }
        slotByEntryID[entryIDOfSlot[index]] = nil
        entryIDOfSlot[index] = ""
        questionsOfSlot[index] = []
        documentsOfSlot[index] = []
        freeSlots.append(slot)
        return freed
    }

    func question(of document: Int32) -> String {
        let slot = Int(slotOfDocument[Int(document)])
        return questionsOfSlot[slot][Int(questionOfDocument[Int(document)])]
    }
}
