"""Writers: PDF (pdf/), DOCX (docx.py, ooxml.py), XLSX (xlsx.py), JSON (json.py)."""

import re

# Characters XML 1.0 cannot carry at all, escaped or not (C0 controls, lone surrogates,
# U+FFFE/U+FFFF). The DOCX writer refuses them; the PDF writer drops them (they print nothing).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
