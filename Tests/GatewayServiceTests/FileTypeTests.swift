import Foundation
import KefuModel
import Testing

@testable import GatewayService

/// File types are read from the bytes: each accepted type, Office told apart by its ZIP entries or OLE
/// streams, and what must be refused.
@Suite struct FileTypeTests {
    @Test func detectsEachTypeByContent() {
        #expect(FileType.detect(FileSamples.pdf) == .pdf)
        #expect(FileType.detect(FileSamples.docx) == .docx)
        #expect(FileType.detect(FileSamples.xlsx) == .xlsx)
        #expect(FileType.detect(FileSamples.pptx) == .pptx)
        #expect(FileType.detect(FileSamples.plainZip) == .zip)
        #expect(FileType.detect(FileSamples.compound("WordDocument")) == .doc)
        #expect(FileType.detect(FileSamples.compound("Workbook")) == .xls)
        #expect(FileType.detect(FileSamples.compound("PowerPoint Document")) == .ppt)
        #expect(FileType.detect(FileSamples.text) == .txt)
        #expect(FileType.detect(FileSamples.gzip) == .gz)
        #expect(FileType.detect(FileSamples.sevenZip) == .sevenZip)
        #expect(FileType.detect(FileSamples.rar) == .rar)
    }

    @Test func refusesWhatIsNoneOfThem() {
        #expect(FileType.detect(FileSamples.executable) == nil)
        #expect(FileType.detect([]) == nil)
        #expect(FileType.detect(Array("text with a NUL\0".utf8)) == nil)
        #expect(FileType.detect([0x68, 0x69, 0xFF, 0xFE]) == nil, "not UTF-8")
        #expect(FileType.detect(Array(FileSamples.docx.prefix(40))) == nil, "a ZIP without its directory")
        #expect(FileType.detect(FileSamples.compound("Contents")) == nil, "another compound file")
        #expect(FileType.detect(Array(VisitorAPITests.png)) == nil, "images go through …/images")
    }

    @Test func settingsKeysAndSafeDownloadNames() {
        #expect(FileType.allCases.map(\.key) == ["pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "txt", "zip", "gz", "7z", "rar"])
        #expect(FileType(key: "7z") == .sevenZip)
        #expect(FileType(key: "exe") == nil)
        let disposition = Gateway.attachmentDisposition("报价单 \"v2\".pdf", type: .pdf)
        #expect(disposition == "attachment; filename=\"___ _v2_.pdf\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%22v2%22.pdf")
        #expect(Gateway.attachmentDisposition("..", type: .txt) == "attachment; filename=\"file.txt\"; filename*=UTF-8''..")
        #expect(Gateway.attachmentDisposition("notes", type: .txt).hasPrefix("attachment; filename=\"notes.txt\""))
        #expect(throws: ContractError.self) { try FileRef.validateName("a/b.pdf", field: "name") }
        #expect(throws: ContractError.self) { try FileRef.validateName("a\r\nb.pdf", field: "name") }
        #expect(throws: ContractError.self) { try FileRef.validateName(String(repeating: "x", count: 256), field: "name") }
    }
}
