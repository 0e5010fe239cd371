import Foundation
import Testing
@testable import KnowledgeService

/// CSV and JSON reading and writing, without servers.
@Suite struct ParsingTests {
    @Test func csvReaderFollowsRFC4180AndCountsLines() {
        let text = "\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3\n\nlast,,"
        let (records, problems) = CSVReader.read(Array(text.utf8))
        #expect(problems.isEmpty)
        #expect(records == [
            CSVRecord(line: 1, fields: ["a", "b", "c"]),
            CSVRecord(line: 2, fields: ["x, y", "say \"hi\"", "two\nlines"]),
            CSVRecord(line: 4, fields: ["1", "2", "3"]),
            CSVRecord(line: 5, fields: [""]),
            CSVRecord(line: 6, fields: ["last", "", ""]),
        ])
    }

    @Test func csvReaderReportsStrayAndUnterminatedQuotes() {
        let (records, problems) = CSVReader.read(Array("a,b\nbad\"quote,x\n\"ok\",y\n\"open,z\nmore".utf8))
        #expect(records.map(\.line) == [1, 3])
        #expect(problems.map(\.line) == [2, 4])
        #expect(problems[0].message.contains("quote inside an unquoted field"))
        #expect(problems[1].message.contains("unterminated"))
        let invalid = CSVReader.read([0x61, 0x0A, 0xFF, 0xFE, 0x0A, 0x62])
        #expect(invalid.problems.map(\.line) == [2])
        #expect(invalid.records.map(\.fields) == [["a"], ["b"]])
    }

    @Test func csvWriterQuotesGuardsFormulasAndRoundTrips() {
        var writer = CSVWriter()
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "=SUM(A1)", "-5", " padded", "问题"]
        writer.append(fields)
        #expect(Array(writer.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: writer.bytes.dropFirst(3), as: UTF8.self)
        #expect(text == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1),'-5,\" padded\",问题\r\n")
        let read = CSVReader.read(writer.bytes).records.first?.fields.map(CSVWriter.unguard)
        #expect(read == fields)
        #expect(CSVWriter.unguard("'abc") == "'abc")
    }

    @Test func jsonLinesFindWhereEachElementStarts() {
        let text = "[\n  {\"a\": \"[,]\"},\n\n  {\"b\": [1,\n 2]}, \"x\",\n 3\n]"
        #expect(JSONLines.elementStarts(Array(text.utf8)) == [2, 4, 5, 6])
        #expect(JSONLines.elementStarts(Array("[]".utf8)).isEmpty)
    }

    @Test func importParserChecksHeaderAndRows() throws {
        let missing = ImportParser.parseCSV(Array("question,answer,colour\nq,a,red\n".utf8))
        #expect(missing.problems == [ImportProblem(line: 1, message: "unknown column \"colour\"; the columns are question,similar_questions,answer,category,enabled")])
        let reordered = ImportParser.parseCSV(Array("Answer, Question\n答,问\n".utf8))
        #expect(reordered.problems.isEmpty)
        #expect(reordered.rows.first?.draft.question == "问")
        #expect(reordered.rows.first?.draft.enabled == true)
        let noAnswer = ImportParser.parseCSV(Array("question,category\nq,c\n".utf8))
        #expect(noAnswer.problems.first?.line == 1)
        let empty = ImportParser.parseCSV([])
        #expect(empty.problems.first?.line == 1)
        #expect(try ImportParser.enabled("否") == false)
        #expect(throws: Refusal.self) { try ImportParser.enabled("perhaps") }
    }

    @Test func entryDraftNormalisesAndChecks() throws {
        let draft = try EntryDraft(
            question: "\u{3000}发票 ", similar: ["开票", " 开票", "发票"], answer: "第一行\n第二行", imageID: nil,
            category: "  ", enabled: true)
        #expect(draft.question == "发票")
        #expect(draft.similar == ["开票"])
        #expect(draft.category == nil)
        #expect(throws: Refusal.self) { try EntryDraft(question: "a\nb", similar: [], answer: "x", imageID: nil, category: nil, enabled: true) }
        #expect(throws: Refusal.self) {
            try EntryDraft(question: "q", similar: [], answer: "x", imageID: nil, category: String(repeating: "类", count: 33), enabled: true)
        }
        let fifty = (0..<50).map { "相似 \($0)" }
        #expect(try EntryDraft(question: "q", similar: fifty, answer: "x", imageID: nil, category: nil, enabled: true).similar.count == 50)
    }
}
