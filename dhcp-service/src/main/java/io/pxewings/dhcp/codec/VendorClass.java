package io.pxewings.dhcp.codec;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Option 60 as PXE, UEFI HTTP Boot and ONIE fill it in.
 * <ul>
 * <li>PXE spec 2.1 §2.2.2: {@code PXEClient:Arch:xxxxx:UNDI:yyyzzz} (arch decimal, UNDI major yyy, minor zzz)</li>
 * <li>UEFI 2.x §24.7 HTTP Boot: {@code HTTPClient:Arch:xxxxx:UNDI:yyyzzz}</li>
 * <li>ONIE: {@code onie_vendor:<platform>} (onie.org, "DHCP requests")</li>
 * </ul>
 *
 * @param kind     what the client is
 * @param arch     the architecture in the string, or -1
 * @param undi     UNDI version "yyy.zzz", or empty
 * @param platform ONIE's platform string, or empty
 * @param raw      the whole option
 */
public record VendorClass(Kind kind, int arch, String undi, String platform, String raw) {

    /** What kind of client option 60 says this is. */
    public enum Kind { PXE, HTTP_BOOT, ONIE, OTHER, NONE }

    private static final Pattern ARCH_UNDI = Pattern.compile("(PXEClient|HTTPClient)(?::Arch:(\\d{5}))?(?::UNDI:(\\d{3})(\\d{3}))?.*");

    public static VendorClass parse(Optional<String> option) {
        if (option.isEmpty()) {
            return new VendorClass(Kind.NONE, -1, "", "", "");
        }
        String v = option.get();
        Matcher m = ARCH_UNDI.matcher(v);
        if (m.matches()) {
            Kind kind = m.group(1).equals("PXEClient") ? Kind.PXE : Kind.HTTP_BOOT;
            int arch = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            String undi = m.group(3) == null ? "" : Integer.parseInt(m.group(3)) + "." + Integer.parseInt(m.group(4));
            return new VendorClass(kind, arch, undi, "", v);
        }
        if (v.startsWith("onie_vendor:")) {
            return new VendorClass(Kind.ONIE, -1, "", v.substring("onie_vendor:".length()), v);
        }
        return new VendorClass(Kind.OTHER, -1, "", "", v);
    }

    public static VendorClass of(DhcpOptions options) {
        return parse(options.string(OptionCode.VENDOR_CLASS_ID));
    }
}
