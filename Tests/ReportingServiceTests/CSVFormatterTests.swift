import ReportingService
import Testing

/// The CSV post-processing: BOM, CRLF record ends outside quotes only, state kept across chunks.
@Suite struct CSVFormatterTests {
    @Test func addsTheByteOrderMarkOnceAndEndsRecordsWithCRLF() {
        var formatter = CSVFormatter(bom: true)
        let first = formatter.format(Array("a,b\n1,2\n".utf8))
        let second = formatter.format(Array("3,4\n".utf8))
        #expect(first == CSVFormatter.byteOrderMark + Array("a,b\r\n1,2\r\n".utf8))
        #expect(second == Array("3,4\r\n".utf8))
        #expect(formatter.records == 3)
    }

    @Test func withoutBOMTheOutputStartsWithTheHeader() {
        var formatter = CSVFormatter(bom: false)
        #expect(formatter.format(Array("h\n".utf8)) == Array("h\r\n".utf8))
    }

    @Test func lineBreaksInsideQuotedFieldsStayAsTheyAreAcrossChunks() {
        let input = "id,comment\n1,\"two\nlines, and \"\"quotes\"\"\"\n2,plain\n"
        // Split at every position to prove the quote state survives chunk boundaries.
        let bytes = Array(input.utf8)
        for split in 0...bytes.count {
            var formatter = CSVFormatter(bom: false)
            let output = formatter.format(Array(bytes[..<split])) + formatter.format(Array(bytes[split...]))
            #expect(String(decoding: output, as: UTF8.self)
                == "id,comment\r\n1,\"two\nlines, and \"\"quotes\"\"\"\r\n2,plain\r\n", "split at \(split)")
            #expect(formatter.records == 3)
        }
    }
}
