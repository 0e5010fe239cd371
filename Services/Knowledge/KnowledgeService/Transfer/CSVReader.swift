/// One record of a CSV file and the line it starts on (1-based, the header is line 1).
struct CSVRecord: Sendable, Equatable {
    var line: Int
    var fields: [String]
}

/// A problem in a CSV file, at a line.
struct CSVProblem: Error, Sendable, Equatable {
    var line: Int
    var message: String
}

/// Reads RFC 4180 CSV: comma-separated fields, fields in double quotes may hold commas, line breaks and
/// doubled quotes; records end with CRLF or LF. A UTF-8 byte-order mark at the start is skipped.
///
/// A record with a stray quote is reported and skipped (reading goes on with the next line); an
/// unterminated quoted field is reported at the line it started on and ends the reading.
enum CSVReader {
    /// The records and the problems found, in file order. Invalid UTF-8 is a problem of its line.
    static func read(_ bytes: [UInt8]) -> (records: [CSVRecord], problems: [CSVProblem]) {
        var input = bytes[...]
        if input.starts(with: [0xEF, 0xBB, 0xBF]) { input = input.dropFirst(3) }
        var records: [CSVRecord] = []
        var problems: [CSVProblem] = []
        var line = 1
        var index = input.startIndex
        while index < input.endIndex {
            let start = line
            switch readRecord(input, &index, &line) {
            case .success(let fields):
                records.append(CSVRecord(line: start, fields: fields))
            case .failure(let problem):
                problems.append(problem)
                if problem.message.hasPrefix("unterminated") { return (records, problems) }
            }
        }
        return (records, problems)
    }

    private static func readRecord(_ input: ArraySlice<UInt8>, _ index: inout Int, _ line: inout Int) -> Result<[String], CSVProblem> {
        let startLine = line
        var fields: [String] = []
        var field: [UInt8] = []
        var problem: String?
        while true {
            // At the start of a field.
            if index < input.endIndex, input[index] == UInt8(ascii: "\"") {
                let quoteLine = line
                index += 1
                var closed = false
                while index < input.endIndex {
                    let byte = input[index]
                    if byte == UInt8(ascii: "\"") {
                        if index + 1 < input.endIndex, input[index + 1] == UInt8(ascii: "\"") {
                            field.append(byte)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                    index += 1
                }
                guard closed else {
                    return .failure(CSVProblem(line: quoteLine, message: "unterminated quoted field (a \" opened on this line is never closed)"))
                }
                if index < input.endIndex, !isDelimiter(input[index]) {
                    problem = problem ?? "unexpected text after a closing quote (quotes inside a field must be doubled)"
                }
            }
            while index < input.endIndex, !isDelimiter(input[index]) {
                if input[index] == UInt8(ascii: "\"") {
                    problem = problem ?? "a quote inside an unquoted field (quote the whole field and double the quote)"
                }
                field.append(input[index])
                index += 1
            }
            guard let text = String(validating: field, as: UTF8.self) else {
                skipToEndOfLine(input, &index, &line)
                return .failure(CSVProblem(line: startLine, message: "the text is not valid UTF-8 (save the file as UTF-8)"))
            }
            fields.append(text)
            field.removeAll(keepingCapacity: true)
            guard index < input.endIndex else { break }
            let delimiter = input[index]
            index += 1
            if delimiter == UInt8(ascii: ",") { continue }
            if delimiter == UInt8(ascii: "\r"), index < input.endIndex, input[index] == UInt8(ascii: "\n") { index += 1 }
            line += 1
            break
        }
        if let problem { return .failure(CSVProblem(line: startLine, message: problem)) }
        return .success(fields)
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    private static func skipToEndOfLine(_ input: ArraySlice<UInt8>, _ index: inout Int, _ line: inout Int) {
        while index < input.endIndex, input[index] != UInt8(ascii: "\n") { index += 1 }
        if index < input.endIndex {
            index += 1
            line += 1
        }
    }
}
