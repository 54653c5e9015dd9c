import Foundation
import HTTPServer
import StatusCore
import TestSupport
import Testing
@testable import StatusWeb

/// The OpenGraph and Twitter card fields a chat app reads from a shared link, read from the
/// served HTML by Python's `html.parser` (a real parser, as the previewers use), so escaping,
/// attribute quoting and placement in `<head>` are checked, not only the text.
@Suite struct LinkPreviewTests {
    typealias PageServer = PublicPagesTests.PageServer
    static let actor = PublicPagesTests.actor

    static func namedSite(url: String = "https://status.imigrasi.example", options: PageOptions = .standard) throws -> PageServer {
        let site = try PageServer.make(options: options)
        _ = try site.write { store, now in
            try store.updatePage(PagePatch(name: "Layanan Imigrasi", url: url), by: Self.actor, now: now)
        }
        return site
    }

    @Test func overviewPreviewStatesTheStatusTheLatestUpdateAndThePromise() throws {
        let site = try Self.namedSite()
        defer { site.close() }
        _ = try site.write { store, now in
            let component = try store.createComponent(ComponentDraft(name: "Autogate Terminal 3"), by: Self.actor, now: now)
            return try store.createIncident(IncidentDraft(
                name: "Autogate mati", nameTranslations: ["en": "Autogates down"],
                body: "Paspor diperiksa manual di loket.", bodyTranslations: ["en": "Passports are checked by hand at the desks."],
                components: [component.id: .majorOutage], nextUpdateAt: now + 30 * .minute), by: Self.actor, now: now)
        }
        let english = try OpenGraph.parse(try site.get("/?lang=en").text)
        #expect(english.outsideHead.isEmpty)
        #expect(english.fields == [
            "og:type": "website",
            "og:title": "Major system outage: Layanan Imigrasi",
            "og:description": "Passports are checked by hand at the desks. Next update by 12:30 WIB",
            "og:site_name": "Layanan Imigrasi",
            "og:locale": "en_US",
            "og:locale:alternate": "id_ID",
            "og:url": "https://status.imigrasi.example/?lang=en",
            "twitter:card": "summary",
        ])
        // In the language of the request, whichever way it was asked for.
        let indonesian = try OpenGraph.parse(try site.get("/", ["Accept-Language": "id-ID"]).text)
        #expect(indonesian.fields["og:title"] == "Gangguan besar pada layanan: Layanan Imigrasi")
        #expect(indonesian.fields["og:description"]
            == "Paspor diperiksa manual di loket. Pembaruan berikutnya paling lambat 12.30 WIB")
        #expect(indonesian.fields["og:locale"] == "id_ID")
        #expect(indonesian.fields["og:url"] == "https://status.imigrasi.example/?lang=id")
    }

    @Test func incidentPreviewNamesItsStatusAndQuotesTwoHundredCharacters() throws {
        let site = try Self.namedSite(url: "https://status.imigrasi.example/")
        defer { site.close() }
        let long = String(repeating: "Antrean di Terminal 3 memanjang; ", count: 10)
        let incident = try site.write { store, now in
            try store.createIncident(IncidentDraft(
                name: #"Autogate <mati> & "lambat""#, status: .identified, body: long + "\n\nAkhir.",
                nextUpdateAt: now + 15 * .minute), by: Self.actor, now: now)
        }
        let page = try site.get("/incidents/\(incident.id)")
        #expect(page.status == 200)
        let preview = try OpenGraph.parse(page.text)
        #expect(preview.outsideHead.isEmpty)
        #expect(preview.fields["og:type"] == "article")
        #expect(preview.fields["og:title"] == #"Penyebab ditemukan: Autogate <mati> & "lambat""#)
        let quoted = String(long.prefix(199)).trimmingCharacters(in: .whitespaces) + "…"
        #expect(preview.fields["og:description"] == quoted + " Pembaruan berikutnya paling lambat 12.15 WIB")
        #expect(quoted.count == 200)
        #expect(preview.fields["og:url"] == "https://status.imigrasi.example/incidents/\(incident.id)?lang=id")
        #expect(preview.fields["twitter:card"] == "summary")
    }

    @Test func allClearPreviewSaysNothingIsOpen() throws {
        let site = try Self.namedSite()
        defer { site.close() }
        let preview = try OpenGraph.parse(try site.get("/?lang=en").text)
        #expect(preview.fields["og:title"] == "All systems operational: Layanan Imigrasi")
        #expect(preview.fields["og:description"] == "No incidents are open.")
    }

    /// With no `--base-url` and no page `url` there is no absolute address to give, so
    /// `og:url` is left out rather than made up from the request's `Host`.
    @Test func noURLIsInventedWhenTheSitesAddressIsUnknown() throws {
        let site = try PageServer.make()
        defer { site.close() }
        let preview = try OpenGraph.parse(try site.get("/?lang=en").text)
        #expect(preview.fields["og:url"] == nil)
        #expect(preview.fields["og:title"] == "All systems operational: Status")

        var options = PageOptions.standard
        options.baseURL = "https://status.example.id/"
        let configured = try PageServer.make(options: options)
        defer { configured.close() }
        #expect(try OpenGraph.parse(try configured.get("/?lang=en").text).fields["og:url"]
            == "https://status.example.id/?lang=en")
    }

    @Test func baseURLWinsOverThePagesURL() throws {
        var options = PageOptions.standard
        options.baseURL = "https://status.imigrasi.go.example"
        let site = try Self.namedSite(url: "https://old.imigrasi.example", options: options)
        defer { site.close() }
        #expect(try OpenGraph.parse(try site.get("/?lang=id").text).fields["og:url"]
            == "https://status.imigrasi.go.example/?lang=id")
    }
}

/// The `<meta property|name=… content=…>` fields of an HTML document, as Python's
/// `html.parser` reads them.
struct OpenGraph {
    /// Each field's content by its `property` or `name`.
    var fields: [String: String]
    /// Fields found outside `<head>`, which previewers ignore.
    var outsideHead: [String]

    static func parse(_ html: String) throws -> OpenGraph {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import html.parser, json, sys
            class Fields(html.parser.HTMLParser):
                def __init__(self):
                    super().__init__(convert_charrefs=True)
                    self.in_head, self.fields, self.outside = False, {}, []
                def handle_starttag(self, tag, attrs):
                    attrs = dict(attrs)
                    if tag == "head": self.in_head = True
                    if tag == "body": self.in_head = False
                    if tag != "meta": return
                    key = attrs.get("property") or attrs.get("name")
                    if key is None or "content" not in attrs: return
                    if key in self.fields: raise SystemExit("repeated " + key)
                    self.fields[key] = attrs["content"]
                    if not self.in_head: self.outside.append(key)
                def handle_endtag(self, tag):
                    if tag == "head": self.in_head = False
            parser = Fields()
            parser.feed(sys.stdin.read())
            parser.close()
            print(json.dumps({"fields": parser.fields, "outside": parser.outside}))
            """]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(html.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var fields = object["fields"] as? [String: String],
              let outside = object["outside"] as? [String] else {
            throw ParseFailure(status: process.terminationStatus)
        }
        // `viewport` is the page's own, not part of the preview.
        fields["viewport"] = nil
        return OpenGraph(fields: fields, outsideHead: outside)
    }

    struct ParseFailure: Error {
        let status: Int32
    }
}
