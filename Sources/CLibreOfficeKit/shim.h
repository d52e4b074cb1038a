// LibreOfficeKit: header-only. LibreOfficeKitInit.h loads the installed LibreOffice with dlopen, hence `link "dl"`.
// Debian's libreofficekit-dev installs the headers in /usr/include/LibreOfficeKit/ and no pkg-config file; the
// headers include each other as <LibreOfficeKit/...>, so the default include path is all they need.
// LOK_USE_UNSTABLE_API exposes getDocumentType/getParts in the document class. LibreOfficeKitEnums.h is left out
// on purpose: under that macro it contains C++ (static_cast, nullptr) that a C module cannot compile; Swift
// mirrors the few values it needs (LibreOfficeKitDocumentType) in LibreOfficeKitDocument.Kind.
#define LOK_USE_UNSTABLE_API
#include <LibreOfficeKit/LibreOfficeKitInit.h>
#include <LibreOfficeKit/LibreOfficeKit.h>
