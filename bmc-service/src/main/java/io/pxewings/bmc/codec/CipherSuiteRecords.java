package io.pxewings.bmc.codec;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Get Channel Cipher Suites records (IPMI v2.0 §22.15.2, Table 22-18): the suites a BMC speaks,
 * read before a session so that a suite it does not speak is never tried (ipmi_sim does not
 * answer a suite-17 Open Session at all: without this, every first session waits for timeouts).
 * A standard record is C0h, the suite id, then its algorithms tagged 00h-3Fh (authentication),
 * 40h (integrity), 80h (confidentiality); an OEM record is C1h, the id, a 3-byte IANA, algorithms.
 */
public final class CipherSuiteRecords {

    private CipherSuiteRecords() {
    }

    /** The standard suite ids in the record bytes of every answer, in order. */
    public static Set<Integer> suites(byte[] records) {
        Set<Integer> ids = new LinkedHashSet<>();
        int i = 0;
        while (i < records.length) {
            int tag = records[i] & 0xff;
            if ((tag == 0xc0 || tag == 0xc1) && i + 1 < records.length) {
                if (tag == 0xc0) {
                    ids.add(records[i + 1] & 0xff);
                }
                i += tag == 0xc0 ? 2 : 5;
                while (i < records.length && (records[i] & 0xc0) != 0xc0) {
                    i++;   // the record's algorithm bytes
                }
            } else {
                i++;   // not a record start: skip (a BMC padding or a garbled byte)
            }
        }
        return ids;
    }

    /** The record bytes of one answer: after the channel number; a short answer (under 16) is the last. */
    public static byte[] records(byte[] answerData) throws MalformedIpmiException {
        Wire.need(answerData, 1, "channel cipher suites");
        return Wire.slice(answerData, 1, answerData.length);
    }
}
