import Foundation
@testable import Outbound
import TestSupport
import Testing

/// Messages from literals: exact bytes where they are short, and Python's `email` package
/// (an independent parser) reading back what Warta wrote where they are not.
@Suite struct MailMessageTests {
    static func make(fromName: String = "Status Imigrasi", subject: String = "Autogates offline",
                     to: String = "budi@contoh.example", messageID: String = "incident.abc.def@imigrasi.example",
                     inReplyTo: String? = nil, references: [String] = [], listUnsubscribe: String? = nil,
                     text: String = "Autogates are offline.\n", html: String = "<p>Autogates are offline.</p>\n",
                     language: String? = "en") -> MailMessage {
        MailMessage(fromName: fromName, fromAddress: "status@imigrasi.example", to: to, subject: subject,
                    date: instant("2026-11-29T05:31:03Z"), messageID: messageID, inReplyTo: inReplyTo,
                    references: references, listUnsubscribe: listUnsubscribe, text: text, html: html, language: language)
    }

    @Test func smallASCIIMessageHasExactlyTheseBytes() throws {
        let message = Self.make(inReplyTo: "incident.abc@imigrasi.example", references: ["incident.abc@imigrasi.example"],
                                listUnsubscribe: "https://status.imigrasi.example/subscriptions/k3y/unsubscribe")
        let expected = """
            From: Status Imigrasi <status@imigrasi.example>\r
            To: budi@contoh.example\r
            Subject: Autogates offline\r
            Date: Sun, 29 Nov 2026 05:31:03 +0000\r
            Message-ID: <incident.abc.def@imigrasi.example>\r
            In-Reply-To: <incident.abc@imigrasi.example>\r
            References: <incident.abc@imigrasi.example>\r
            MIME-Version: 1.0\r
            Content-Language: en\r
            Auto-Submitted: auto-generated\r
            List-Unsubscribe: <https://status.imigrasi.example/subscriptions/k3y/unsubscribe>\r
            List-Unsubscribe-Post: List-Unsubscribe=One-Click\r
            Content-Type: multipart/alternative; boundary="=_warta_275ba58ccb96bef0"\r
            \r
            --=_warta_275ba58ccb96bef0\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Autogates are offline.\r
            \r
            --=_warta_275ba58ccb96bef0\r
            Content-Type: text/html; charset=utf-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            <p>Autogates are offline.</p>\r
            \r
            --=_warta_275ba58ccb96bef0--\r

            """
        #expect(TestClient.text(try message.rendered()) == expected)
    }

    @Test func dateIsWrittenInTheZoneAskedFor() throws {
        let jakarta = try #require(TimeZone(identifier: "Asia/Jakarta"))
        #expect(MailMessage.dateTime(instant("2026-11-29T05:31:03Z"), in: jakarta) == "Sun, 29 Nov 2026 12:31:03 +0700")
        #expect(MailMessage.dateTime(instant("2027-01-01T00:00:00Z"), in: TimeZone(secondsFromGMT: -(3 * 3600 + 1800))!)
                == "Thu, 31 Dec 2026 20:30:00 -0330")
        let text = TestClient.text(try Self.make().rendered(timeZone: jakarta))
        #expect(text.contains("\r\nDate: Sun, 29 Nov 2026 12:31:03 +0700\r\n"))
    }

    @Test func bahasaIndonesiaMessageReadsBackInPython() throws {
        let text = "Layanan paspor elektronik mengalami gangguan – kami sedang menanganinya.\n"
            + "Pembaruan berikutnya pukul 14.00 WIB. Harga: 50% = Rp 10.000 \n\nSalam,\nDirektorat Jenderal Imigrasi\n"
        let html = "<p>Layanan paspor elektronik mengalami gangguan – kami sedang menanganinya.</p>\n<p>Salam ✅</p>\n"
        let message = Self.make(fromName: "Status Imigrasi – Jakarta", subject: "Gangguan layanan paspor – pembaruan",
                                text: text, html: html, language: "id")
        let bytes = try message.rendered()
        #expect(bytes.allSatisfy { $0 < 0x80 }, "7-bit only")
        let parsed = try Self.parseWithPython(bytes)
        #expect(parsed["subject"] as? String == "Gangguan layanan paspor – pembaruan")
        #expect(parsed["from_name"] as? String == "Status Imigrasi – Jakarta")
        #expect(parsed["from_address"] as? String == "status@imigrasi.example")
        #expect(parsed["to"] as? String == "budi@contoh.example")
        #expect(parsed["type"] as? String == "multipart/alternative")
        #expect(parsed["language"] as? String == "id")
        #expect(parsed["auto_submitted"] as? String == "auto-generated")
        #expect(parsed["message_id"] as? String == "<incident.abc.def@imigrasi.example>")
        #expect(parsed["date"] as? String == "2026-11-29T05:31:03+00:00")
        #expect(parsed["defects"] as? [String] == [])
        #expect(parsed["words_ok"] as? Bool == true)
        let parts = try #require(parsed["parts"] as? [[String: Any]])
        #expect(parts.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect(parts.map { $0["charset"] as? String } == ["utf-8", "utf-8"])
        #expect(parts.map { $0["encoding"] as? String } == ["quoted-printable", "quoted-printable"])
        #expect(parts.map { $0["content"] as? String } == [text, html])
    }

    @Test func plainASCIIHeaderTextStaysReadable() throws {
        let head = try Self.head(Self.make(fromName: "Imigrasi, Jakarta \"Pusat\"", subject: "Autogates\r\nBcc: x@y.example\toffline"))
        // Specials quoted; a line break in a subject is no line break in the header.
        #expect(head.hasPrefix(#"From: "Imigrasi, Jakarta \"Pusat\"" <status@imigrasi.example>"# + "\r\n"))
        #expect(head.contains("\r\nSubject: Autogates Bcc: x@y.example offline\r\n"))
        #expect(!head.contains("\r\nBcc"))
    }

    @Test func longSubjectIsFoldedAndReadsBack() throws {
        let ascii = (1...30).map { "word\($0)" }.joined(separator: " ")
        let indonesian = String(repeating: "Gangguan layanan paspor – pembaruan ke-2 dari Kantor Imigrasi Soekarno–Hatta; ", count: 4)
            .trimmingCharacters(in: .whitespaces)
        let emoji = String(repeating: "⚠️🛂 ", count: 20) + "selesai"
        for subject in [ascii, indonesian, emoji] {
            let bytes = try Self.make(subject: subject).rendered()
            let lines = Self.headerLines(bytes)
            let subjectLines = Self.field("Subject", in: lines)
            #expect(subjectLines.count > 1, "\(subject) folded")
            #expect(subjectLines.allSatisfy { $0.utf8.count <= 78 }, "\(subjectLines)")
            let parsed = try Self.parseWithPython(bytes)
            #expect(parsed["subject"] as? String == subject)
            #expect(parsed["words_ok"] as? Bool == true)
            #expect((parsed["words"] as? [String])?.allSatisfy { $0.count <= 75 } == true)
        }
        // ASCII folds at its own spaces, no encoding.
        let asciiLines = Self.field("Subject", in: Self.headerLines(try Self.make(subject: ascii).rendered()))
        #expect(asciiLines.joined() == "Subject: " + ascii)
        #expect(asciiLines.dropFirst().allSatisfy { $0.hasPrefix(" word") })
    }

    @Test func encodedWordsNeverSplitACharacterAndStayWithin75() {
        for text in ["Gangguan layanan paspor – pembaruan", String(repeating: "é", count: 100), String(repeating: "🛂", count: 40),
                     String(repeating: "a", count: 200)] {
            let words = EncodedWords.encode(text, firstRoom: 69, room: 77)
            #expect(words[0].count <= 69)
            #expect(words.allSatisfy { $0.count <= 75 && $0.hasPrefix("=?utf-8?") && $0.hasSuffix("?=") })
            #expect(words.map(Self.decodeWord).allSatisfy { $0 != nil }, "\(words)")
            #expect(words.compactMap(Self.decodeWord).joined() == text)
        }
        // Q where the text is mostly ASCII, B where it is not: whichever is shorter.
        #expect(EncodedWords.encode("Gangguan layanan – paspor_1", firstRoom: 69, room: 77)
                == ["=?utf-8?Q?Gangguan_layanan_=E2=80=93_paspor=5F1?="])
        #expect(EncodedWords.encode("🛂🛂🛂", firstRoom: 69, room: 77) == ["=?utf-8?B?8J+bgvCfm4Lwn5uC?="])
    }

    @Test func quotedPrintableOfLongLinesEqualsSignsTrailingSpacesAndEmoji() {
        func qp(_ text: String) -> String { TestClient.text(QuotedPrintable.encode(text)) }
        #expect(qp("a=b\n") == "a=3Db\r\n")
        #expect(qp("trailing  \nand tab\t\nmiddle  space") == "trailing =20\r\nand tab=09\r\nmiddle  space")
        #expect(qp("Salam 🛂\r\nOK") == "Salam =F0=9F=9B=82\r\nOK")
        #expect(qp("cr\rlf\ncrlf\r\n") == "cr\r\nlf\r\ncrlf\r\n")
        #expect(qp(".\n.leading") == ".\r\n.leading")
        let long = String(repeating: "x", count: 76)
        #expect(qp(long) == long)
        #expect(qp(long + "y") == String(repeating: "x", count: 75) + "=\r\nxy")
        // A soft break never falls inside =XX; each line at most 76 characters.
        for filler in 0..<4 {
            let text = String(repeating: "a", count: filler) + String(repeating: "é=", count: 60) + " \n"
            let lines = qp(text).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.count <= 76 }, "\(lines)")
            for line in lines where line.hasSuffix("=") {
                let beforeBreak = line.dropLast()
                #expect(!(beforeBreak.suffix(1).first == "=") && !(beforeBreak.dropLast().suffix(1).first == "="), "\(line)")
            }
            #expect(Self.decodeQuotedPrintable(qp(text)) == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
        }
    }

    @Test func boundaryDoesNotOccurInTheParts() throws {
        let parts = [QuotedPrintable.encode("--=_warta_ a"), QuotedPrintable.encode("b")]
        let boundary = MailMessage.boundary(for: parts)
        #expect(boundary.hasPrefix("=_warta_") && boundary.count == 24)
        #expect(MailMessage.boundary(for: parts) == boundary)
        #expect(MailMessage.boundary(for: [QuotedPrintable.encode("c"), parts[1]]) != boundary)
        // Quoted-printable writes every `=` as =3D, so the delimiter cannot appear in a part.
        let bytes = try Self.make(text: "--=_warta_0000000000000000\n" + "=_warta_").rendered()
        let text = TestClient.text(bytes)
        let declared = try #require(text.components(separatedBy: "boundary=\"").dropFirst().first?.components(separatedBy: "\"").first)
        #expect(TestClient.count("--" + declared, in: bytes) == 3)
    }

    static let injected = "budi@contoh.example\r\nBcc: everyone@contoh.example"

    @Test(arguments: [
        ("to", make(to: injected), "has a line break"),
        ("to", make(to: "budi@contoh.example\n"), "has a line break"),
        ("to", make(to: "budi @contoh.example"), "has a space"),
        ("to", make(to: "budi\u{0}@contoh.example"), "has a control character"),
        ("to", make(to: "bùdi@contoh.example"), "is not ASCII"),
        ("to", make(to: "Budi <budi@contoh.example>"), "has a space"),
        ("to", make(to: "budi@"), "is not one local part, @ and a domain"),
        ("to", make(to: ""), "is empty"),
        ("messageID", make(messageID: "a@b\r\nX-Evil: 1"), "has a line break"),
        ("messageID", make(messageID: "<a@b>"), "must not hold angle brackets"),
        ("messageID", make(messageID: "no-at-sign"), "is not of the form left@right"),
        ("inReplyTo", make(inReplyTo: "a@b\nc"), "has a line break"),
        ("references", make(references: ["a@b", "c@d\r"]), "has a line break"),
        ("listUnsubscribe", make(listUnsubscribe: "https://x.example/u\r\nBcc: a@b"), "has a line break"),
        ("listUnsubscribe", make(listUnsubscribe: "http://x.example/u"), "is not an https URL"),
        ("listUnsubscribe", make(listUnsubscribe: "https://x.example/u>, <mailto:a@b"), "has a space"),
        ("language", make(language: "id\r\nX: y"), "is not a language tag"),
    ])
    func headerInjectionIsRefusedNamingTheField(field: String, message: MailMessage, problem: String) {
        #expect(throws: MailMessage.FieldError(field: field, problem: problem)) { try message.rendered() }
    }

    @Test func fromAddressIsCheckedToo() {
        var message = Self.make()
        message.fromAddress = "status@imigrasi.example\r\nTo: all@contoh.example"
        #expect(throws: MailMessage.FieldError(field: "fromAddress", problem: "has a line break")) { try message.rendered() }
        #expect(MailMessage.FieldError(field: "fromAddress", problem: "has a line break").description
                == "mail field fromAddress: has a line break")
    }

    @Test func everyLineEndsInCRLFAndNoHeaderLineIsOver78() throws {
        let message = Self.make(fromName: String(repeating: "Direktorat Jenderal Imigrasi ", count: 5), subject: "Ok",
                                references: (1...8).map { "incident.\($0).abcdefghijkl@imigrasi.example" },
                                text: String(repeating: "panjang ", count: 100) + "\n")
        let bytes = try message.rendered()
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13) }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10) }
        }
        let lines = Self.headerLines(bytes)
        #expect(lines.allSatisfy { $0.utf8.count <= 78 }, "\(lines.filter { $0.utf8.count > 78 })")
        #expect(Self.field("References", in: lines).count > 1)
        let parsed = try Self.parseWithPython(bytes)
        #expect(parsed["from_name"] as? String == String(repeating: "Direktorat Jenderal Imigrasi ", count: 5).trimmingCharacters(in: .whitespaces))
        #expect(parsed["references"] as? String == message.references.map { "<\($0)>" }.joined(separator: " "))
    }

    // MARK: - Helpers

    /// The header section's lines, without their CRLF.
    static func headerLines(_ bytes: [UInt8]) -> [String] {
        TestClient.text(bytes).components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
    }

    /// The lines of one field: its first line and the continuation lines after it.
    static func field(_ name: String, in lines: [String]) -> [String] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(name + ":") }) else { return [] }
        return [lines[start]] + lines[(start + 1)...].prefix { $0.hasPrefix(" ") || $0.hasPrefix("\t") }
    }

    static func head(_ message: MailMessage) throws -> String {
        headerLines(try message.rendered()).joined(separator: "\r\n") + "\r\n"
    }

    /// One encoded-word decoded on its own, nil unless its bytes are whole UTF-8.
    static func decodeWord(_ word: String) -> String? {
        let parts = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var bytes: [UInt8]
        if parts[1] == "B" {
            guard let data = Data(base64Encoded: String(parts[2])) else { return nil }
            bytes = Array(data)
        } else {
            bytes = decodeQuotedPrintable(parts[2].replacingOccurrences(of: "_", with: " "))
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Quoted-printable decoded by the book (RFC 2045 §6.7), soft breaks removed.
    static func decodeQuotedPrintable(_ text: String) -> [UInt8] {
        let bytes = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "="), index + 2 < bytes.count,
               let value = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16) {
                decoded.append(value)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }

    /// What Python's `email` package (policy `default`) reads in `bytes`: decoded header
    /// values, each part's type, charset, transfer encoding and content (line breaks as
    /// `\n`), defects, and whether each encoded-word decodes to whole UTF-8 on its own.
    static func parseWithPython(_ bytes: [UInt8]) throws -> [String: Any] {
        let script = """
            import email, email.header, email.policy, json, re, sys
            raw = sys.stdin.buffer.read()
            m = email.message_from_bytes(raw, policy=email.policy.default)
            head = raw.split(b"\\r\\n\\r\\n", 1)[0].decode("ascii")
            words = re.findall(r"=\\?[^?]+\\?[QqBb]\\?[^?]*\\?=", head)
            def whole(word):
                try:
                    [(data, charset)] = email.header.decode_header(word)
                    data.decode("utf-8")
                    return charset == "utf-8"
                except Exception:
                    return False
            parts = [{"type": p.get_content_type(), "charset": p.get_param("charset"),
                      "encoding": p["Content-Transfer-Encoding"], "content": p.get_content().replace("\\r\\n", "\\n")}
                     for p in m.iter_parts()]
            sender = m["From"].addresses[0]
            print(json.dumps({"subject": str(m["Subject"]), "from_name": sender.display_name,
                "from_address": sender.addr_spec, "to": str(m["To"]), "type": m.get_content_type(),
                "language": m["Content-Language"], "auto_submitted": m["Auto-Submitted"],
                "message_id": m["Message-ID"], "references": m["References"], "date": m["Date"].datetime.isoformat(),
                "parts": parts, "words": words, "words_ok": all(map(whole, words)),
                "defects": [type(d).__name__ for part in [m, *m.iter_parts()] for d in part.defects]}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try input.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaints = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(complaints)")
        return try #require(try JSONSerialization.jsonObject(with: printed) as? [String: Any])
    }
}
