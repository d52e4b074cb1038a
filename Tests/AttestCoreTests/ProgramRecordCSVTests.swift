// Attest — certificates and documents you can verify. Apache-2.0.

import AttestCore
import Foundation
import Testing

@Suite("program record CSV")
struct ProgramRecordCSVTests {
    private let record = ProgramRecord(
        program: .init(id: "data", title: "Data, \"Analysis\"", organisation: "Academy", type: nil),
        learnerID: "l-1",
        learnerName: "=HYPERLINK(\"x\")",
        courses: [
            .init(
                position: 1,
                courseID: "stats",
                title: "Line\nbreak",
                status: .earned,
                score: 0.875,
                completedOn: CalendarDate(year: 2026, month: 5, day: 1),
                verificationCode: "CODE",
                verificationURL: "https://v.example/v/CODE"
            ),
            .init(
                position: 2,
                courseID: "viz",
                title: "王伟的课程",
                status: .notEarned,
                score: nil,
                completedOn: nil,
                verificationCode: nil,
                verificationURL: nil
            ),
        ]
    )

    @Test("BOM, header, one CRLF row per course, RFC 4180 quoting, formulas neutralised")
    func document() {
        let bytes = ProgramRecordCSV.document(self.record)
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 4)
        #expect(lines[0] == ProgramRecordCSV.header.joined(separator: ","))
        #expect(
            text.contains(
                "data,\"Data, \"\"Analysis\"\"\",l-1,\"'=HYPERLINK(\"\"x\"\")\",1,stats,\"Line\nbreak\",Earned,87.5%,"
                    + "2026-05-01,https://v.example/v/CODE\r\n"
            )
        )
        #expect(lines[2].hasSuffix(",2,viz,王伟的课程,Not earned,,,"))
        #expect(lines[3] == "")
    }

    @Test("grades are percentages with at most one decimal")
    func grades() {
        func grade(_ score: Double?) -> String? {
            ProgramRecord.Course(
                position: 1,
                courseID: "c",
                title: "t",
                status: .earned,
                score: score,
                completedOn: nil,
                verificationCode: nil,
                verificationURL: nil
            ).grade
        }
        #expect(grade(0.92) == "92%")
        #expect(grade(1) == "100%")
        #expect(grade(0) == "0%")
        #expect(grade(0.8751) == "87.5%")
        #expect(grade(nil) == nil)
    }
}
