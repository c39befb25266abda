/**
 * The vendor directory shipped with Absolve: for every engine VirusTotal reports, where a publisher
 * reports a false positive (web forms, email, portals), what the vendor asks for (archive
 * password, size limit, subject rule, account), its allowlisting programmes, the engines that
 * share its engine (`upstream`), channels known to bounce, the sources of these facts and the
 * date they were checked. Facts from the project's research (vendors.json / vendors.md, each with
 * its source); this file is Absolve's own structured data. Users override or add entries in
 * absolve.config.json (`vendors`, see vendor-config.ts).
 *
 * Defaults where the sources say nothing: ZIP with password `infected` (the usual convention,
 * vendors.md "Archive passwords"), no size limit, no subject rule.
 */
import type { VendorEntry } from './vendor.types.ts';

export const VENDOR_DIRECTORY_CHECKED = '2026-12-05';

export const VENDOR_DIRECTORY: readonly VendorEntry[] = [
  {
    "engine": "Acronis",
    "vendor": "Acronis",
    "aliases": [
      "Acronis (Static ML)"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "virustotal-falsepositive@acronis.com",
        "status": "listed",
        "note": "VirusTotal-specific FP address"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "https://kb.acronis.com/content/69412"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "AhnLab-V3",
    "vendor": "AhnLab",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "v3sos@ahnlab.com",
        "status": "listed",
        "note": "marked 'recommended'"
      },
      {
        "kind": "email",
        "address": "e-support@ahnlab.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "samples@ahnlab.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/AhnLab-V3.md@285d363f (per-vendor email templates, folder deleted 2021-12-10) (template: detection name + VirusTotal link)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "ALYac",
    "vendor": "ESTsecurity",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "esrc@estsecurity.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://en.estsecurity.com/support/report",
        "status": "listed",
        "note": "listed as 'Web portal' in a third-party project's notes"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Antiy-AVL",
    "vendor": "Antiy Labs",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "avlsdk_support@antiy.cn",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@antiy.cn",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Arcabit",
    "vendor": "Arcabit",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "vt.fp@arcabit.pl",
        "status": "listed",
        "note": "VT-specific FP address"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Avast",
    "vendor": "Avast (Gen Digital)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.avast.com/report-false-positive",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "DL-Virus@gendigital.com",
        "status": "listed",
        "note": "added from VirusTotal's contact list (Sept 2024)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [
      {
        "name": "Avast Threat Lab whitelisting",
        "kind": "certificate",
        "url": null,
        "contact": null,
        "note": "Free; upload complete files by FTP after registering. Publishers who sign their software can ask for whitelisting by signature."
      }
    ],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://support.avast.com/en-us/article/Threat-Lab-file-whitelist"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "AVG",
    "vendor": "AVG",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.avg.com/false-positive-file-form",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "http://www.avg.com/submit-sample",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.avg.com/us-en/whitelist",
        "status": "listed",
        "note": "whitelisting request page"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [
      {
        "name": "AVG Threat Lab whitelisting",
        "kind": "certificate",
        "url": "https://www.avg.com/us-en/whitelist",
        "contact": null,
        "note": "Same model as Avast, including whitelisting by digital signature for a limited number of signers."
      }
    ],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://support.avg.com/SupportArticleView?l=it&urlname=avg-threat-lab-file-whitelist"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Avira",
    "vendor": "Avira",
    "aliases": [
      "Avira (no cloud)"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.avira.com/en/analysis/submit",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "novirus@avira.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Baidu",
    "vendor": "Baidu",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "bav@baidu.com",
        "status": "bounces",
        "note": "reported bouncing 'User unknown' (2024)"
      },
      {
        "kind": "email",
        "address": "gaoyingchun@baidu.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "BitDefender",
    "vendor": "Bitdefender",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.bitdefender.com/consumer/support/answer/40673/",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "virus_submission@bitdefender.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "oemsamples@bitdefender.com",
        "status": "listed",
        "note": "OEM samples address"
      },
      {
        "kind": "web-form",
        "address": "https://www.bitdefender.com/en-us/business/submit",
        "status": "listed",
        "note": "listed in a third-party project's notes"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": "Several VirusTotal engines license the BitDefender engine; a BitDefender fix usually clears them too, so submit here first.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/BitDefender.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)",
      "https://www.bitdefender.com/consumer/support/answer/29358/"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Bkav",
    "vendor": "Bkav",
    "aliases": [
      "Bkav Pro"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "fpreport@bkav.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "bkav@bkav.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Bkav.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "ClamAV",
    "vendor": "Cisco Talos",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.clamav.net/reports/fp",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "api",
        "address": "clamsubmit -p FILE -V DETECTION_NAME -e EMAIL -N NAME",
        "status": "listed",
        "note": "ClamAV's CLI submission tool (man clamsubmit); -V detection name is required for FP submissions"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": true,
      "hashOnlyWhenTooLarge": false,
      "source": "man clamsubmit (-V is required for false-positive submissions)"
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://manpages.ubuntu.com/manpages/noble/en/man1/clamsubmit.1.html"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "CrowdStrike Falcon",
    "vendor": "CrowdStrike",
    "aliases": [
      "CrowdStrike"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "VTscanner@crowdstrike.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Cylance",
    "vendor": "Arctic Wolf (formerly Cylance)",
    "aliases": [
      "Arctic Wolf"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "virustotal@arcticwolf.com",
        "status": "listed",
        "note": "current entry (2026-05)"
      },
      {
        "kind": "email",
        "address": "cylancefilesubmit@blackberry.com",
        "status": "listed",
        "note": "legacy entry (2024)"
      },
      {
        "kind": "email",
        "address": "cylancefilesubmit@cylance.com",
        "status": "listed",
        "note": "legacy entry"
      },
      {
        "kind": "web-form",
        "address": "https://www.blackberry.com/us/en/support/smartantivirus",
        "status": "listed",
        "note": "legacy BlackBerry form; a 2021 report was resolved this way (https://github.com/bleachbit/bleachbit/issues/1199)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": "Reported to act mainly on customer reports.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table (and history: commits 2363d070, 4a7eb2cd)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Cynet",
    "vendor": "Cynet",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "soc@cynet.com",
        "status": "unresponsive",
        "note": "reported unresponsive by namazso"
      },
      {
        "kind": "web-form",
        "address": "https://www.cynet.com/services/#contact-cyops",
        "status": "listed",
        "note": "contact form mentioned in a gist comment"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Cynet.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "DeepInstinct",
    "vendor": "Deep Instinct",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "vt-fps-requests@deepinstinct.com",
        "status": "listed",
        "note": "VT-specific FP address"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "DrWeb",
    "vendor": "Doctor Web",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://vms.drweb.com/sendvirus/",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "vms@drweb.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "http://vms.drweb.com/categories/"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Elastic",
    "vendor": "Elastic",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://docs.google.com/forms/d/e/1FAIpQLSfKZOPSPcucmgNR9_j316JnG_qYbJBpti5JSsNxQNQtTHjsxw/viewform",
        "status": "listed",
        "note": "Google Form (link updated 2026-04)"
      },
      {
        "kind": "portal",
        "address": "https://discuss.elastic.co/t/submitting-false-positives/232322",
        "status": "listed",
        "note": "forum thread"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Emsisoft",
    "vendor": "Emsisoft",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "fp@emsisoft.com",
        "status": "listed",
        "note": "false positives"
      },
      {
        "kind": "email",
        "address": "submit@emsisoft.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.emsisoft.com/en/help/contact/",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": true,
      "source": null
    },
    "programmes": [],
    "notes": "When the file is too large to mail, send the VirusTotal link instead.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Emsisoft.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)",
      "https://www.emsisoft.com/de/help/1716/ein-emsisoft-produkt-hat-eine-datei-als-malware-erkannt-die-jedoch-keine-ist-wie-kommt-es-dazu/",
      "https://www.emsisoft.com/en/help/1720/why-did-an-emsisoft-product-detect-an-innocent-file-as-malware-2/"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "eScan",
    "vendor": "MicroWorld (eScan)",
    "aliases": [
      "MicroWorld-eScan"
    ],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "samples@escanav.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "http://support.mwti.net/support/index.php?/Tickets/Submit/",
        "status": "listed",
        "note": "ticket form"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/eScan.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "ESET-NOD32",
    "vendor": "ESET",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "samples@eset.com",
        "status": "listed",
        "note": "subject 'False positive'"
      },
      {
        "kind": "web-form",
        "address": "https://support.eset.com/en/kb141-submit-a-virus-website-or-potential-false-positive-sample-to-the-eset-lab",
        "status": "listed",
        "note": "KB141 instructions (also in-product submission)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": "False positive",
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://support.eset.com/en/kb141-submit-a-virus-website-or-potential-false-positive-sample-to-the-eset-lab"
    },
    "programmes": [
      {
        "name": "ESET whitelisting questionnaire",
        "kind": "one-off",
        "url": null,
        "contact": "samples@eset.com",
        "note": "Asks about signing, version resources, packers and installer technology."
      }
    ],
    "notes": "Subject \"False positive\", password \"infected\" stated in a plain-text body.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://support.eset.com/en/kb141-submit-a-virus-website-or-potential-false-positive-sample-to-the-eset-lab",
      "https://support.eset.com/en/how-do-i-whitelist-my-software-with-eset"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Fortinet",
    "vendor": "Fortinet (FortiGuard)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "submitvirus@fortinet.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.fortiguard.com/faq/classificationdispute",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "http://www.fortinet.com/support/contact_support.html",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.fortiguard.com/faq/wfratingsubmit",
        "status": "listed",
        "note": "URL/web-filter rating disputes (gist comment)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "http://www.fortiguard.com/antivirus/submit.html"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "GData",
    "vendor": "G DATA",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.gdata.de/help-en/general/GeneralInformation/submitFileAppURL/",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://submit.gdatasoftware.com/privacy",
        "status": "listed",
        "note": "submission form listed by a gist comment and a third-party project"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Google",
    "vendor": "Google",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "google-at-virustotal@google.com",
        "status": "listed",
        "note": "found on VirusTotal's FP-contacts page (False-Positive-Center issue #88)"
      },
      {
        "kind": "portal",
        "address": "Google Drive: upload the file (preferably not from a main account), open it with Preview, click 'request a review', then 'Request file review'",
        "status": "listed",
        "note": "a contributor reports Google removed the detection after a file review (PR #76)"
      },
      {
        "kind": "web-form",
        "address": "https://safebrowsing.google.com/safebrowsing/report_error/?hl=en",
        "status": "listed",
        "note": "Safe Browsing (URLs)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/yaronelh/False-Positive-Center/pull/76",
      "https://github.com/yaronelh/False-Positive-Center/issues/45"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Gridinsoft",
    "vendor": "GridinSoft",
    "aliases": [
      "Gridinsoft (no cloud)"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "virus@gridinsoft.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "antimalware@gridinsoft.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://gridinsoft.com/incorrect-detection",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Gridinsoft.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Ikarus",
    "vendor": "IKARUS Security Software",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "fp@ikarus.at",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "samples@ikarus.at",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "false-positive@ikarus.at",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Ikarus.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Jiangmin",
    "vendor": "Jiangmin",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "support@jiangmin.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "shaojia@jiangmin.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "K7AntiVirus",
    "vendor": "K7 Computing",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "reportfp@labs.k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "k7viruslab@labs.k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://support.k7computing.com/index.php?/ticket/submit-ticket",
        "status": "listed",
        "note": "ticket form"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "K7GW",
    "vendor": "K7 Computing",
    "aliases": [],
    "upstream": "K7AntiVirus",
    "channels": [
      {
        "kind": "email",
        "address": "reportfp@labs.k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "k7viruslab@labs.k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@k7computing.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://support.k7computing.com/index.php?/ticket/submit-ticket",
        "status": "listed",
        "note": "ticket form"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": "Same vendor channels as K7AntiVirus.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Kaspersky",
    "vendor": "Kaspersky",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "portal",
        "address": "https://opentip.kaspersky.com/",
        "status": "listed",
        "note": "Kaspersky Threat Intelligence Portal: analyse file, then 'Submit to reanalyze' with your email and a comment (<=2000 chars)"
      },
      {
        "kind": "email",
        "address": "newvirus@kaspersky.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://support.kaspersky.com/b2c/il#contacts",
        "status": "listed",
        "note": "support form: OS > Application > Malware > False positive > contact support > upload file"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": 268435456,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://opentip.kaspersky.com/ (upload limit)"
    },
    "programmes": [
      {
        "name": "Kaspersky Allowlist Program",
        "kind": "one-off",
        "url": null,
        "contact": null,
        "note": "Free; needs a company website with a legal address; the signing certificate must not be shared with other vendors."
      }
    ],
    "notes": "Use OpenTIP \"Submit to reanalyze\" (file up to 256 MB; a CAPTCHA after 10 requests a day).",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://opentip.kaspersky.com/Help/Doc_data/AdditionalAnalysis.htm",
      "https://opentip.kaspersky.com/Help/Doc_data/SubmittingFile.htm",
      "https://support.kaspersky.com/ca/common/error/other/1870",
      "https://www.kaspersky.com/partners/allowlist-program"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Kingsoft",
    "vendor": "Kingsoft (Cheetah)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "ti@mingting.cn",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Lionic",
    "vendor": "Lionic (AegisLab)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.lionic.com/supports/report-false-positive/",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@lionic.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@aegislab.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Malwarebytes",
    "vendor": "Malwarebytes",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "portal",
        "address": "https://forums.malwarebytes.com/forum/122-false-positives/",
        "status": "listed",
        "note": "forum; requires registration"
      },
      {
        "kind": "web-form",
        "address": "https://support.malwarebytes.com/hc/en-us/articles/360038524154-Report-a-false-positive-to-Malwarebytes-Support",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "portal",
        "address": "https://support.malwarebytes.com/hc/en-us/requests/new",
        "status": "customers-only",
        "note": "for customers: Issue type > Product help > False-positive"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": true,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [
      {
        "name": "Malwarebytes forum false-positive report",
        "kind": "one-off",
        "url": "https://forums.malwarebytes.com/forum/122-false-positives/",
        "contact": null,
        "note": "Leads to whitelisting of the file."
      }
    ],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)",
      "https://www.malwarebytes.com/blog/detections/machinelearning-anomalous-100"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "MAX",
    "vendor": "SaintSecurity (malwares.com)",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "root@malwares.com",
        "status": "listed",
        "note": "SaintSecurity"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table (history: commit 826e3225 renamed MAX to CTX)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "CTX",
    "vendor": "SaintSecurity (malwares.com)",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "email",
        "address": "root@malwares.com",
        "status": "listed",
        "note": "SaintSecurity"
      },
      {
        "kind": "email",
        "address": "kog@stsc.com",
        "status": "listed",
        "note": "listed as 'Malwares.com (Saint Security)'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "MaxSecure",
    "vendor": "Max Secure Software",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "tech@maxpcsecure.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.maxsecureantivirus.com/submit_aFalse_Positive.htm",
        "status": "unresponsive",
        "note": "used by BleachBit maintainers in 2020-2021 (auto-reply only); another project used /maxIS/submit_aFalse_Positive.htm"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/bleachbit/bleachbit/issues/948",
      "https://github.com/supercollider/sc3-plugins/issues/333"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "McAfee",
    "vendor": "McAfee",
    "aliases": [
      "McAfeeD",
      "McAfee Scanner"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.mcafee.com/en-us/consumer-support/dispute-detection-allowlisting.html",
        "status": "listed",
        "note": "dispute detection / allowlisting page (current entry)"
      },
      {
        "kind": "email",
        "address": "virus_research@mcafee.com",
        "status": "listed",
        "note": "older entry; McAfee's procedure: subject line must start with FALSE"
      },
      {
        "kind": "web-form",
        "address": "https://secure.mcafee.com/apps/mcafee-labs/dispute-form.aspx",
        "status": "listed",
        "note": "Detection Dispute Submission Form for software vendors disputing a PUP classification (KB85569)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": 10485760,
      "maxFiles": null,
      "subjectPrefix": "FALSE",
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://kc.mcafee.com/corporate/index?page=content&id=KB85567 (subject); https://gist.github.com/timmyRS/d197b40ef72e6bbb62317acc2599d4a9 (password, 10 MB)"
    },
    "programmes": [
      {
        "name": "McAfee Labs clean-software submissions (False Positive Test Rig)",
        "kind": "per-release",
        "url": "https://www.mcafee.com/enterprise/en-us/threat-center/whitelisting/pages/home.html",
        "contact": "datasubmission@mcafee.com",
        "note": "Clean software is scanned before every DAT release; ask for an upload location for each release."
      },
      {
        "name": "McAfee allowlisting",
        "kind": "one-off",
        "url": "https://service.mcafee.com/?locale=en-US&articleId=TS102751&fromSearch=true&page=shell&shell=article-view",
        "contact": null,
        "note": ""
      }
    ],
    "notes": "Mail subjects must start with FALSE. Artemis!<hex> names carry the start of the file's MD5.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://kc.mcafee.com/corporate/index?page=content&id=KB85567",
      "https://kc.mcafee.com/corporate/index?page=content&id=KB85569",
      "https://kc.mcafee.com/corporate/index?page=content&id=KB65525",
      "https://gist.github.com/timmyRS/d197b40ef72e6bbb62317acc2599d4a9 (old list)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Trellix ENS",
    "vendor": "Trellix (FireEye)",
    "aliases": [
      "TrellixENS",
      "Trellix (FireEye)",
      "FireEye"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "datasubmission@trellix.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "malware_research_gateway@trellixsecurity.com",
        "status": "listed",
        "note": "attach the sample, subject 'Possible False'"
      },
      {
        "kind": "portal",
        "address": "Trellix ServicePortal > Service Requests > Submit a sample (Issue Type: Suspected False)",
        "status": "customers-only",
        "note": "enterprise customers; valid grant number required (KB84925/KB85567)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": "Possible False",
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://kc.mcafee.com/corporate/index?page=content&id=KB85567"
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://kc.mcafee.com/corporate/index?page=content&id=KB84925",
      "https://kc.mcafee.com/corporate/index?page=content&id=KB85567"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Skyhigh",
    "vendor": "Skyhigh Security",
    "aliases": [
      "Skyhigh (SWG)",
      "McAfee-GW-Edition"
    ],
    "upstream": "McAfee",
    "channels": [
      {
        "kind": "web-form",
        "address": "https://success.skyhighsecurity.com/Skyhigh_Secure_Web_Gateway_%28On_Prem%29/Anti-malware_Filtering/How_to_submit_false_positive%2F%2Fnegative_samples_for_review",
        "status": "listed",
        "note": "the 'Avira process'"
      },
      {
        "kind": "email",
        "address": "virus_research_gateway@avertlabs.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "datasubmission@mcafee.com",
        "status": "listed",
        "note": "listed for 'McAfee-GW-Edition'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": "Artemis verdicts come from Trellix GTI and are handled by Trellix Labs; one sample per submission.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/McAfee-GW.md@285d363f (per-vendor email templates, folder deleted 2021-12-10) (subject 'FALSE: file detected by McAfee.')",
      "https://success.skyhighsecurity.com/PDFs/KB_Migration/Malware_Submission_-_How_to_submit_false_positive%2F%2Fnegative_samples_for_review/Support_-_Workflow_for_Malware_Sample_Submission"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Microsoft",
    "vendor": "Microsoft",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "portal",
        "address": "https://www.microsoft.com/en-us/wdsi/filesubmission",
        "status": "listed",
        "note": "submit as 'Software developer', choose incorrectly detected"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": true,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://learn.microsoft.com/en-us/defender-xdr/submission-guide"
    },
    "programmes": [
      {
        "name": "none",
        "kind": "none",
        "url": "https://learn.microsoft.com/en-us/defender-xdr/developer-faq",
        "contact": null,
        "note": "Microsoft takes no known-list requests; consistent signing with a publicly trusted certificate is what helps."
      }
    ],
    "notes": "Sign in at the WDSI portal and submit as a software developer (\"incorrectly detected\"); there is no email route. Decisions are per file: submit every build that is flagged.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:MicrosoftDocs/defender-docs defender-xdr/submission-guide.md@01d407d0 (learn.microsoft.com/defender-xdr/submission-guide)",
      "https://learn.microsoft.com/en-us/defender-xdr/developer-faq"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "NANO-Antivirus",
    "vendor": "NANO Security",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.nanoav.ru/index.php?option=com_content&view=article&id=15&Itemid=83&lang=en",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "false@nanoav.ru",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Palo Alto Networks",
    "vendor": "Palo Alto Networks",
    "aliases": [
      "Paloalto"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "portal",
        "address": "https://live.paloaltonetworks.com/t5/virustotal/bd-p/VirusTotal_Discussions",
        "status": "listed",
        "note": "LIVE community VirusTotal board"
      },
      {
        "kind": "email",
        "address": "vt-pan-false-positive@paloaltonetworks.com",
        "status": "listed",
        "note": "VT-specific FP address"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": true,
      "source": null
    },
    "programmes": [],
    "notes": "Accepts the sample, a public download URL, or the SHA-256 alone.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://knowledgebase.paloaltonetworks.com/KCSArticleDetail?id=kA10g000000Cm3aCAC"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Panda",
    "vendor": "Panda Security",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "falsepositives@pandasecurity.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "virussamples@pandasecurity.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "panda",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://gist.github.com/timmyRS/d197b40ef72e6bbb62317acc2599d4a9 (old list)"
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/timmyRS/d197b40ef72e6bbb62317acc2599d4a9 (old list)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "QuickHeal",
    "vendor": "Quick Heal Technologies",
    "aliases": [
      "CAT-QuickHeal"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://techsupport.quickheal.com/report-an-issue/false-positive",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "viruslab@quickheal.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "OEMENGINE@quickheal.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@quickheal.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06) (2020: usasupport@quickheal.com)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Rising",
    "vendor": "Rising",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "fp@rising.com.cn",
        "status": "listed",
        "note": "added 2024-09"
      },
      {
        "kind": "web-form",
        "address": "http://mailcenter.rising.com.cn/filecheck_en/",
        "status": "listed",
        "note": "older form (2020 list); since dropped from False-Positive-Center"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Sangfor",
    "vendor": "Sangfor",
    "aliases": [
      "Sangfor Engine Zero"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "portal",
        "address": "https://sec.sangfor.com.cn/login.html?lang=EN-US",
        "status": "listed",
        "note": "log in, then User > Feedback, fill in the form"
      },
      {
        "kind": "web-form",
        "address": "https://ti.sangfor.com.cn/analysis-platform?lang=EN-US",
        "status": "listed",
        "note": "form mentioned in a gist comment"
      },
      {
        "kind": "email",
        "address": "save@sangfor.com.cn",
        "status": "listed",
        "note": "legacy (2020 template)"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": true,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center 'Sangfor Engine Zero false positive instruction guide.pdf'@1d14f743",
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)",
      "github:yaronelh/False-Positive-Center vendors/Sangfor.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "SentinelOne",
    "vendor": "SentinelOne",
    "aliases": [
      "SentinelOne (Static ML)"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "report@sentinelone.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Sophos",
    "vendor": "Sophos",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "samples@sophos.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://support.sophos.com/support/s/filesubmission",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://support.home.sophos.com/hc/en-us/articles/360041664851-How-to-review-and-submit-samples-of-suspicious-files-or-false-positives-to-Sophos",
        "status": "listed",
        "note": "Sophos Home article: Intelix check or Sample Submission website"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Sophos-ML.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "SUPERAntiSpyware",
    "vendor": "SUPERAntiSpyware",
    "aliases": [],
    "upstream": null,
    "channels": [],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": "No public channel: submission only from inside the product.",
    "sources": [
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Symantec",
    "vendor": "Broadcom (Symantec); Norton",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://symsubmit.symantec.com/",
        "status": "listed",
        "note": "choose 'Clean software incorrectly detected'"
      },
      {
        "kind": "email",
        "address": "false.positives@broadcom.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://submit.norton.com",
        "status": "listed",
        "note": "Norton consumer products"
      }
    ],
    "requirements": {
      "archivePassword": null,
      "maxArchiveBytes": 104857600,
      "maxFiles": 9,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": true,
      "hashOnlyWhenTooLarge": false,
      "source": "https://submit.symantec.com/false_positive/standard/"
    },
    "programmes": [
      {
        "name": "Broadcom Proactive Whitelisting",
        "kind": "per-release",
        "url": null,
        "contact": null,
        "note": "Enterprise Premium customers only; file-specific, so every version is resubmitted. The public programme was discontinued."
      }
    ],
    "notes": "Uploads must not be password-protected; at most 9 files per archive; the detection name is a required field.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center README.md@1d14f743, 'Antivirus Vendors Whitelisting programs' table",
      "https://submit.symantec.com/false_positive/standard/",
      "https://knowledge.broadcom.com/external/article?legacyId=TECH232956",
      "https://knowledge.broadcom.com/external/article/173729"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "TACHYON",
    "vendor": "INCA Internet (nProtect)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "isarc@inca.co.kr",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": true,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Tencent",
    "vendor": "Tencent",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "TAVfp@tencent.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Trapmine",
    "vendor": "Trapmine",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "fp@trapmine.com",
        "status": "retiring",
        "note": "list notes 'Concluding operations December 31'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "TrendMicro",
    "vendor": "Trend Micro",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.trendmicro.com/en_us/about/legal/detection-reevaluation.html",
        "status": "listed",
        "note": "False Detection/Re-Classify Requests (non-customers)"
      },
      {
        "kind": "email",
        "address": "virus_doctor@trendmicro.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://helpcenter.trendmicro.com/en-us/srf/",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": 12582912,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://www.trendmicro.com/en_my/about/legal/detection-reevaluation.html"
    },
    "programmes": [
      {
        "name": "Trend Micro GRID goodware programme",
        "kind": "per-release",
        "url": "https://gpp.trendmicro.com/register",
        "contact": null,
        "note": "Partners provide their software files so products do not detect them. No certificate-notification programme was found."
      }
    ],
    "notes": "The re-evaluation form takes a password-protected ZIP of at most 12 MB; give the password in the details field.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06)",
      "https://www.trendmicro.com/en_my/about/legal/detection-reevaluation.html",
      "https://success.trendmicro.com/en-US/solution/KA-0003939",
      "https://gpp.trendmicro.com/register"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "TrendMicro-HouseCall",
    "vendor": "Trend Micro",
    "aliases": [],
    "upstream": "TrendMicro",
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.trendmicro.com/en_us/about/legal/detection-reevaluation.html",
        "status": "listed",
        "note": "False Detection/Re-Classify Requests (non-customers)"
      },
      {
        "kind": "email",
        "address": "virus_doctor@trendmicro.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://helpcenter.trendmicro.com/en-us/srf/",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": 12582912,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://www.trendmicro.com/en_my/about/legal/detection-reevaluation.html"
    },
    "programmes": [
      {
        "name": "Trend Micro GRID goodware programme",
        "kind": "per-release",
        "url": "https://gpp.trendmicro.com/register",
        "contact": null,
        "note": "As TrendMicro."
      }
    ],
    "notes": "Same vendor channels as TrendMicro.",
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06)",
      "https://www.trendmicro.com/en_my/about/legal/detection-reevaluation.html",
      "https://success.trendmicro.com/en-US/solution/KA-0003939",
      "https://gpp.trendmicro.com/register"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Varist",
    "vendor": "Varist",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "SampleFP@avsubmit.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@varist.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "virus@avsubmit.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "virustotal@viritpro.com",
        "status": "listed",
        "note": "listed under Varist in False-Positive-Center; the domain belongs to VirIT's site, so check before use"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "VBA32",
    "vendor": "VirusBlokAda",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "feedback@anti-virus.by",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support-en@anti-virus.by",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "VIPRE",
    "vendor": "VIPRE Security",
    "aliases": [],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "web-form",
        "address": "https://helpdesk.vipre.com/hc/en-us/requests/new",
        "status": "listed",
        "note": "helpdesk request"
      },
      {
        "kind": "web-form",
        "address": "https://www.vipre.com/support/submit-false-positive/",
        "status": "listed",
        "note": "listed in a third-party project's notes"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "ViRobot",
    "vendor": "HAURI",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "viruslab@hauri.co.kr",
        "status": "listed",
        "note": "listed as 'Hauri'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "WithSecure",
    "vendor": "WithSecure / F-Secure",
    "aliases": [
      "F-Secure"
    ],
    "upstream": "BitDefender",
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.f-secure.com/en/business/support-and-downloads/submit-a-sample",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "vsamples@f-secure.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "spyware-samples@f-secure.com",
        "status": "bounces",
        "note": "a gist comment reports delivery errors"
      },
      {
        "kind": "portal",
        "address": "https://elements.withsecure.com",
        "status": "customers-only",
        "note": "business customers: Requests > Create Request > Submit sample for validation"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [
      {
        "name": "WithSecure Elements \"Request whitelisting\"",
        "kind": "one-off",
        "url": "https://elements.withsecure.com",
        "contact": null,
        "note": "Business customers."
      }
    ],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://community.withsecure.com/en/kb/articles/29360-how-to-submit-a-false-positive-or-negative-sample-file-or-url-to-withsecure",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Xcitium",
    "vendor": "Xcitium (formerly Comodo)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.comodo.com/home/internet-security/submit.php",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "malwaresubmit@avlab.comodo.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "security@xcitium.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@xcitium.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "portal",
        "address": "https://forum.xcitium.com/",
        "status": "listed",
        "note": "forum"
      },
      {
        "kind": "email",
        "address": "threatlabs@xcitium.com",
        "status": "listed",
        "note": "used by a third-party project"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:robertpopa22/mRemoteNG docs/AV_FALSE_POSITIVE_SUBMISSION.md@b92e8e1a (third-party project's submission notes, 2026-03)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Yandex",
    "vendor": "Yandex",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "yandex-antivir@support.yandex.ru",
        "status": "bounces",
        "note": "namazso reports it rejects mail"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Zillya",
    "vendor": "Zillya",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "virus@zillya.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "help@zillya.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://zillya.com/support",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "ZoneAlarm",
    "vendor": "Check Point",
    "aliases": [
      "ZoneAlarm by Check Point"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "zonealarm_VT_reports@checkpoint.com",
        "status": "listed",
        "note": "VT-specific address"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Zoner",
    "vendor": "Zoner",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "false@zonerantivirus.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Alibaba",
    "vendor": "Alibaba",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "virustotal@list.alibaba-inc.com",
        "status": "bounces",
        "note": "namazso: rejected as spam"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:yaronelh/False-Positive-Center vendors/Alibaba.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)",
      "https://github.com/namazso/virustotal-fpcontacts (README 'Wall of Shame' section)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "AliCloud",
    "vendor": "Alibaba Cloud",
    "aliases": [
      "alibabacloud"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "antivirus@alibabacloud.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://github.com/yaronelh/False-Positive-Center/issues/104"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "APEX",
    "vendor": "SecureAge",
    "aliases": [
      "SecureAge",
      "SecureAge APEX"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.secureage.com/support/report-false-positive",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": "Report False Positive",
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": "https://support.secureaplus.com/how-to-report-false-positive/"
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "CMC",
    "vendor": "CMC Cyber Security",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "support@cmccybersecurity.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "PSIRT@cmccybersecurity.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "huorong",
    "vendor": "Huorong",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "seclab@huorong.cn",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "tehtris",
    "vendor": "TEHTRIS (eGambit)",
    "aliases": [
      "eGambit"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://tehtris.com/en/false-positives-false-negatives/",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "VirIT",
    "vendor": "TG Soft (VirIT)",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "http://www.tgsoft.it/italy/file_sospetti.asp",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Webroot",
    "vendor": "Webroot",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.webroot.com/us/en/business/support/vendor-dispute-contact-us",
        "status": "listed",
        "note": "vendor dispute"
      },
      {
        "kind": "web-form",
        "address": "http://snup.webrootcloudav.com/SkyStoreFileUploader/upload.aspx",
        "status": "listed",
        "note": "file uploader"
      },
      {
        "kind": "portal",
        "address": "https://mysupport.webrootanywhere.com/supportwelcome.aspx",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "web-form",
        "address": "https://www.brightcloud.com/tools/file-change-request.php",
        "status": "listed",
        "note": "listed for 'Webroot SMD'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Cybereason",
    "vendor": "Cybereason",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "vt-feedback@cybereason.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "https://gist.github.com/skmedix/6cdce9d6d3b464c1bd719b72d1f6bce4 (list + user comments)"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Trustlook",
    "vendor": "Trustlook",
    "aliases": [],
    "upstream": null,
    "channels": [
      {
        "kind": "email",
        "address": "bd@trustlook.com",
        "status": "listed",
        "note": ""
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table"
    ],
    "checked": "2026-12-05"
  },
  {
    "engine": "Qihoo-360",
    "vendor": "Qihoo 360",
    "aliases": [
      "360"
    ],
    "upstream": null,
    "channels": [
      {
        "kind": "web-form",
        "address": "https://www.360totalsecurity.com/en/suspicion/false-positive/",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "support@360safe.com",
        "status": "listed",
        "note": ""
      },
      {
        "kind": "email",
        "address": "kefu@360.cn",
        "status": "listed",
        "note": "listed under '360'"
      },
      {
        "kind": "web-form",
        "address": "https://open.soft.360.cn/report.php",
        "status": "listed",
        "note": "listed under '360'"
      },
      {
        "kind": "web-form",
        "address": "http://sampleup.sd.360.cn/",
        "status": "listed",
        "note": "listed under '360'"
      }
    ],
    "requirements": {
      "archivePassword": "infected",
      "maxArchiveBytes": null,
      "maxFiles": null,
      "subjectPrefix": null,
      "accountRequired": false,
      "detectionNameRequired": false,
      "hashOnlyWhenTooLarge": false,
      "source": null
    },
    "programmes": [],
    "notes": null,
    "sources": [
      "github:yaronelh/False-Positive-Center README.md@1d14f743 (2026-05-04), 'Antivirus Contact Info For False Positives' table",
      "github:slolife/antivirus-false-positive-reports README.md@a69a79b3 (2020-08-06)",
      "github:yaronelh/False-Positive-Center vendors/Qihoo-360.md@285d363f (per-vendor email templates, folder deleted 2021-12-10)"
    ],
    "checked": "2026-12-05"
  }
];
