import{a}from"./chunk-YDLEMVLQ.js";import"./chunk-XHKUZKQ4.js";import"./chunk-GWMQWOMN.js";import"./chunk-FFUZZOF5.js";import"./chunk-QKRQDTEI.js";import"./chunk-N5UICCG3.js";import"./chunk-SJ6QZ22X.js";export{a as TrainingView};
//# sourceMappingURL=chunk-74KDF4M5.js.map
